CREATE TABLE "chat_archive" (
	"conversation_id" uuid PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"visitor_id" uuid NOT NULL,
	"closed_at" timestamp with time zone NOT NULL,
	"visitor_name" text NOT NULL,
	"visitor_email" text NOT NULL,
	"operator_id" uuid,
	"operator_name" text,
	"department_id" uuid,
	"rating" text,
	"message_count" integer NOT NULL,
	"preview" text NOT NULL,
	"document" "tsvector" NOT NULL,
	"indexed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "chat_archive" ADD CONSTRAINT "chat_archive_visitor_id_visitors_id_fk" FOREIGN KEY ("visitor_id") REFERENCES "public"."visitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_archive" ADD CONSTRAINT "chat_archive_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_archive" ADD CONSTRAINT "chat_archive_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_archive" ADD CONSTRAINT "chat_archive_conversation_account_fk" FOREIGN KEY ("conversation_id","account_id") REFERENCES "public"."conversations"("id","account_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chat_archive_document_idx" ON "chat_archive" USING gin ("document");--> statement-breakpoint
CREATE INDEX "chat_archive_account_closed_idx" ON "chat_archive" USING btree ("account_id","closed_at" DESC NULLS LAST,"conversation_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "chat_archive_operator_closed_idx" ON "chat_archive" USING btree ("account_id","operator_id","closed_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "chat_archive_department_closed_idx" ON "chat_archive" USING btree ("account_id","department_id","closed_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "chat_archive_visitor_closed_idx" ON "chat_archive" USING btree ("visitor_id","closed_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "chat_archive_email_idx" ON "chat_archive" USING btree ("account_id","visitor_email" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "chat_archive_name_idx" ON "chat_archive" USING btree ("account_id",lower("visitor_name") text_pattern_ops);--> statement-breakpoint
-- P9 (#6): chats closed before the archive existed are indexed by the durable job archive.backfill
-- (features/archive/job.ts), with the same statement as each new one; none to do, no job.
INSERT INTO "jobs" ("kind", "payload") SELECT 'archive.backfill', '{}'::jsonb WHERE EXISTS (SELECT 1 FROM "conversations" WHERE "status" = 'closed');
