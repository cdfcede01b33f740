-- #4: the websites an account's widget may run on (see accounts.allowed_origins in
-- server/src/db/schema/accounts.ts). Existing accounts start with none: only the server's own pages.
ALTER TABLE "accounts" ADD COLUMN "allowed_origins" text[] DEFAULT '{}' NOT NULL;
