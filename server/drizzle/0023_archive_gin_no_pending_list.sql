DROP INDEX "chat_archive_document_idx";--> statement-breakpoint
CREATE INDEX "chat_archive_document_idx" ON "chat_archive" USING gin ("document") WITH (fastupdate=false);