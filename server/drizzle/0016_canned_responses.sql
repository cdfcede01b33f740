CREATE TABLE "canned_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"operator_id" uuid,
	"shortcut" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "canned_responses" ADD CONSTRAINT "canned_responses_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "canned_responses" ADD CONSTRAINT "canned_responses_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "canned_responses_account_shortcut_key" ON "canned_responses" USING btree ("account_id","shortcut") WHERE operator_id IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "canned_responses_operator_shortcut_key" ON "canned_responses" USING btree ("operator_id","shortcut") WHERE operator_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "canned_responses_account_operator_idx" ON "canned_responses" USING btree ("account_id","operator_id");