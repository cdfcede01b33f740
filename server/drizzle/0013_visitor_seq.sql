ALTER TABLE "conversations" ADD COLUMN "last_visitor_seq" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "visitor_seq" integer;--> statement-breakpoint
-- Existing messages: the visitor's numbering is their rank among the conversation's public ones.
UPDATE "messages" m SET "visitor_seq" = r.n
FROM (
  SELECT id, row_number() OVER (PARTITION BY conversation_id ORDER BY seq)::int AS n
  FROM "messages" WHERE visibility = 'public'
) r
WHERE m.id = r.id;--> statement-breakpoint
UPDATE "conversations" c SET "last_visitor_seq" = coalesce(
  (SELECT max(m."visitor_seq") FROM "messages" m WHERE m.conversation_id = c.id), 0);--> statement-breakpoint
CREATE UNIQUE INDEX "messages_conversation_visitor_seq_key" ON "messages" USING btree ("conversation_id","visitor_seq") WHERE visitor_seq IS NOT NULL;