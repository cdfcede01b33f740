CREATE TABLE "team_chat_members" (
	"chat_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"operator_id" uuid NOT NULL,
	"read_seq" integer DEFAULT 0 NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "team_chat_members_chat_id_operator_id_pk" PRIMARY KEY("chat_id","operator_id")
);
--> statement-breakpoint
CREATE TABLE "team_chats" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"direct_key" text,
	"last_seq" integer DEFAULT 0 NOT NULL,
	"last_message_at" timestamp with time zone,
	"preview" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_chats_id_account_key" UNIQUE("id","account_id")
);
--> statement-breakpoint
CREATE TABLE "team_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"chat_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"client_id" text NOT NULL,
	"operator_id" uuid,
	"author_name" text NOT NULL,
	"body" text NOT NULL,
	"ref" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "team_chat_members" ADD CONSTRAINT "team_chat_members_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_chat_members" ADD CONSTRAINT "team_chat_members_chat_account_fk" FOREIGN KEY ("chat_id","account_id") REFERENCES "public"."team_chats"("id","account_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_chats" ADD CONSTRAINT "team_chats_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_messages" ADD CONSTRAINT "team_messages_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_messages" ADD CONSTRAINT "team_messages_chat_account_fk" FOREIGN KEY ("chat_id","account_id") REFERENCES "public"."team_chats"("id","account_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "team_chat_members_operator_idx" ON "team_chat_members" USING btree ("operator_id");--> statement-breakpoint
CREATE UNIQUE INDEX "team_chats_direct_key" ON "team_chats" USING btree ("account_id","direct_key");--> statement-breakpoint
CREATE UNIQUE INDEX "team_messages_chat_seq_key" ON "team_messages" USING btree ("chat_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "team_messages_chat_client_id_key" ON "team_messages" USING btree ("chat_id","client_id");