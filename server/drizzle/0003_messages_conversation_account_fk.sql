-- A message references its conversation and that conversation's account with one key (#3; see
-- messages_conversation_account_fk in server/src/db/schema/chats.ts). The unique constraint comes
-- first: it is what the key references.
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_id_account_key" UNIQUE("id","account_id");--> statement-breakpoint
ALTER TABLE "messages" DROP CONSTRAINT "messages_account_id_accounts_id_fk";
--> statement-breakpoint
ALTER TABLE "messages" DROP CONSTRAINT "messages_conversation_id_conversations_id_fk";
--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_account_fk" FOREIGN KEY ("conversation_id","account_id") REFERENCES "public"."conversations"("id","account_id") ON DELETE cascade ON UPDATE no action;
