CREATE TABLE "invitation_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"name" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"message" text NOT NULL,
	"seconds_on_page" integer DEFAULT 0 NOT NULL,
	"url_pattern" text,
	"min_pages_viewed" integer,
	"returning" boolean,
	"department_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "visitor_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"visitor_id" uuid NOT NULL,
	"operator_id" uuid,
	"sender_name" text NOT NULL,
	"rule_id" uuid,
	"department_id" uuid,
	"message" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone,
	"conversation_id" uuid
);
--> statement-breakpoint
DROP INDEX "page_views_visitor_idx";--> statement-breakpoint
ALTER TABLE "page_views" ADD COLUMN "left_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "visitors" ADD COLUMN "invitation_state" text;--> statement-breakpoint
ALTER TABLE "visitors" ADD COLUMN "invited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invitation_rules" ADD CONSTRAINT "invitation_rules_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visitor_invitations" ADD CONSTRAINT "visitor_invitations_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visitor_invitations" ADD CONSTRAINT "visitor_invitations_visitor_id_visitors_id_fk" FOREIGN KEY ("visitor_id") REFERENCES "public"."visitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visitor_invitations" ADD CONSTRAINT "visitor_invitations_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visitor_invitations" ADD CONSTRAINT "visitor_invitations_rule_id_invitation_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."invitation_rules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invitation_rules_account_idx" ON "invitation_rules" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "visitor_invitations_visitor_idx" ON "visitor_invitations" USING btree ("visitor_id","created_at");--> statement-breakpoint
CREATE INDEX "page_views_visitor_id_idx" ON "page_views" USING btree ("visitor_id","id");