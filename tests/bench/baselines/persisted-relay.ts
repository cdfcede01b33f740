/**
 * Baseline (b): the same relay with one `INSERT … RETURNING` per message before the ack: the
 * naive way to keep Q1. PostgreSQL when DATABASE_URL is set, else PGlite in DATA_DIR.
 */
import { mkdirSync } from 'node:fs';
import { startRelay, type Persistence } from './relay';

const DDL = `CREATE TABLE IF NOT EXISTS bench_messages (
  id bigserial PRIMARY KEY,
  conversation_id uuid NOT NULL,
  seq integer NOT NULL,
  client_id text NOT NULL,
  author text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (conversation_id, seq),
  UNIQUE (conversation_id, client_id)
)`;
const INSERT = `INSERT INTO bench_messages (conversation_id, seq, client_id, author, body)
  VALUES ($1, $2, $3, $4, $5) RETURNING created_at`;

async function postgres(url: string): Promise<Persistence> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  await pool.query(DDL);
  return {
    async insert(m) {
      const r = await pool.query(INSERT, [m.conversationId, m.seq, m.clientId, m.author, m.body]);
      return new Date(r.rows[0].created_at).toISOString();
    },
    close: () => pool.end(),
  };
}

async function pglite(dir: string): Promise<Persistence> {
  const { PGlite } = await import('@electric-sql/pglite');
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir);
  await db.exec(DDL);
  return {
    async insert(m) {
      const r = await db.query<{ created_at: Date }>(INSERT, [m.conversationId, m.seq, m.clientId, m.author, m.body]);
      return r.rows[0]!.created_at.toISOString();
    },
    close: () => db.close(),
  };
}

const persistence = process.env.DATABASE_URL ? await postgres(process.env.DATABASE_URL) : await pglite(process.env.DATA_DIR ?? './data-bench-relay');
await startRelay(process.env.DATABASE_URL ? 'persisted-relay-pg' : 'persisted-relay-pglite', persistence);
