import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes a new SQL migration into server/drizzle/ from the schema files;
// the server applies pending migrations itself at startup (openDatabase().migrate() in server/src/db/client.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/src/db/schema/index.ts',
  out: './server/drizzle',
});
