ALTER TABLE "accounts" ADD COLUMN "idle_after_minutes" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "returning_visitor" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "operator_read_seq" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "operator_read_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "seen_position" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "visitor_read_seq" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "visitor_read_at" timestamp with time zone;--> statement-breakpoint
-- P3 blue for the chats already stored: a conversation whose visitor had an earlier one.
UPDATE "conversations" c SET "returning_visitor" = EXISTS (SELECT 1 FROM "conversations" p WHERE p."visitor_id" = c."visitor_id" AND p."created_at" < c."created_at");
