import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { auto_explain } from '@electric-sql/pglite/contrib/auto_explain';
import { freshTestDatabase, type TestDatabase } from '../support/db';

/**
 * The plan of append_messages (server/drizzle/0002_append_messages_keyed.sql), which each
 * connection makes once and keeps (#3):
 * - reads each conversation and resend by its key, whatever the table sizes were when it was
 *   made: one that read the whole conversations table on every batch made a batch at 5,000
 *   conversations cost 2.5× what it did at 1,000 (rows read counted from pg_stat_user_tables);
 * - joins the batch's own rows by hash: nested loops made a batch of 64 cost 9 ms on PGlite;
 * - is never JIT-compiled: PostgreSQL 15 did so on every call (770 ms).
 */

/** One connection: the function's plan is cached per connection. */
interface Session {
  query<R = Record<string, unknown>>(text: string): Promise<R[]>;
  /** The server's notices and log lines sent to the client while `work` runs. */
  notices(work: () => Promise<unknown>): Promise<string[]>;
  close(): Promise<void>;
}

async function session(database: TestDatabase): Promise<Session> {
  let seen: string[] = [];
  const onNotice = (n: { message?: string }) => seen.push(n.message ?? '');
  const notices = async (work: () => Promise<unknown>) => {
    seen = [];
    await work();
    return seen;
  };
  if (database.kind === 'pglite') {
    const { pglite } = database;
    return {
      query: async (text) => (await pglite.query(text, [], { onNotice })).rows as never,
      notices,
      close: () => pglite.close(),
    };
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  client.on('notice', onNotice);
  return { query: async (text) => (await client.query(text)).rows, notices, close: () => client.end() };
}

interface Chat {
  accountId: string;
  conversationId: string;
  visitorId: string;
}

/** `count` more open conversations in one account, each with its visitor. */
async function addConversations(s: Session, accountId: string, count: number): Promise<Chat[]> {
  await s.query(`INSERT INTO visitors (account_id) SELECT '${accountId}' FROM generate_series(1, ${count})`);
  const rows = await s.query<{ id: string; visitor_id: string }>(
    `INSERT INTO conversations (account_id, visitor_id, status, visitor_name, visitor_email)
     SELECT account_id, id, 'active', 'Vera', '' FROM visitors v
     WHERE account_id = '${accountId}' AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.visitor_id = v.id)
     RETURNING id, visitor_id`,
  );
  return rows.map((r) => ({ accountId, conversationId: r.id, visitorId: r.visitor_id }));
}

let nextClientId = 0;

/** Calls append_messages with one visitor message per chat (`clientId` given: a resend). */
function append(s: Session, chats: Chat[], clientId?: string) {
  const items = chats.map((chat, idx) => ({
    idx,
    account_id: chat.accountId,
    conversation_id: chat.conversationId,
    visitor_id: chat.visitorId,
    client_id: clientId ?? `plan-${nextClientId++}`,
    author: 'visitor',
    body: 'hello',
    preview: 'hello',
  }));
  return s.query<{ kind: string }>(`SELECT kind FROM append_messages('${JSON.stringify(items)}'::jsonb)`);
}

/** Rows of conversations and messages read (by index or scan) while `work` runs. */
async function rowsRead(s: Session, work: () => Promise<unknown>): Promise<{ conversations: number; messages: number }> {
  const read = async () => {
    // Statistics reach pg_stat_user_tables when the backend flushes them: force it, then read afresh.
    await s.query('SELECT pg_stat_force_next_flush()');
    await s.query('SELECT 1');
    await s.query('SELECT pg_stat_clear_snapshot()');
    const [row] = await s.query<{ conversations: string; messages: string }>(
      `SELECT sum(coalesce(idx_tup_fetch, 0) + seq_tup_read) FILTER (WHERE relname = 'conversations') AS conversations,
              sum(coalesce(idx_tup_fetch, 0) + seq_tup_read) FILTER (WHERE relname = 'messages') AS messages
       FROM pg_stat_user_tables`,
    );
    return { conversations: Number(row!.conversations), messages: Number(row!.messages) };
  };
  const before = await read();
  await work();
  const after = await read();
  return { conversations: after.conversations - before.conversations, messages: after.messages - before.messages };
}

// More calls than PostgreSQL's five custom plans, so the generic plan that is then kept is the one measured.
const WARM_UP_CALLS = 8;

let open: { session: Session; database: TestDatabase } | undefined;
afterEach(async () => {
  await open?.session.close();
  await open?.database.drop();
  open = undefined;
});

describe('append_messages keeps a plan that', () => {
  async function setUp() {
    const database = await freshTestDatabase({ auto_explain });
    const s = await session(database);
    open = { session: s, database };
    const accountId = randomUUID();
    await s.query(`INSERT INTO accounts (id, name) VALUES ('${accountId}', 'Plan test')`);
    return { s, accountId };
  }

  async function expectKeyedReads(s: Session, chats: Chat[]) {
    const three = chats.slice(0, 3);
    // Each conversation is read when it is reached, when it is updated and by the messages foreign key.
    expect(await rowsRead(s, () => append(s, three))).toEqual({ conversations: 9, messages: 0 });
    // A resend is found by (conversation, clientId) and nothing is written.
    await append(s, three.slice(0, 1), 'resent-once');
    let kinds: { kind: string }[] = [];
    const resend = await rowsRead(s, async () => (kinds = await append(s, three.slice(0, 1), 'resent-once')));
    expect(kinds).toEqual([{ kind: 'stored' }]);
    expect(resend).toEqual({ conversations: 1, messages: 1 });
  }

  it('reads each row by its key when it was made while the tables were small', async () => {
    const { s, accountId } = await setUp();
    const few = await addConversations(s, accountId, 5);
    for (let i = 0; i < WARM_UP_CALLS; i++) await append(s, few.slice(0, 2));
    const many = await addConversations(s, accountId, 3000);
    await expectKeyedReads(s, many);
  });

  it('reads each row by its key when it was made with thousands of conversations', async () => {
    const { s, accountId } = await setUp();
    const many = await addConversations(s, accountId, 3000);
    for (let i = 0; i < WARM_UP_CALLS; i++) await append(s, many.slice(10, 12));
    await expectKeyedReads(s, many);
  });

  it('probes the tables only from its two LATERAL lookups, joins the batch by hash and is not compiled', async () => {
    const { s, accountId } = await setUp();
    const many = await addConversations(s, accountId, 300);
    for (let i = 0; i < WARM_UP_CALLS; i++) await append(s, many.slice(0, 2));
    await s.query(`LOAD 'auto_explain'`);
    await s.query(`SET auto_explain.log_min_duration = 0`);
    await s.query(`SET auto_explain.log_nested_statements = on`);
    await s.query(`SET client_min_messages = log`);
    const logged = await s.notices(() => append(s, many.slice(0, 64)));
    const plan = logged.find((line) => line.includes('WITH input AS'));
    expect(plan, logged.join('\n')).toBeDefined();
    expect(plan).not.toMatch(/JIT:/);
    expect(plan).not.toMatch(/Seq Scan/);
    expect(plan!.match(/Nested Loop/g)).toHaveLength(2);
    expect(plan).toMatch(/Index Cond: \(id = t\.conversation_id\)/);
    expect(plan).toMatch(/Index Scan using messages_conversation_client_id_key/);
    expect(plan).toMatch(/Index Cond: \(id = ANY/);
  });
});

describe('the messages table', () => {
  it("refuses a message whose account is not its conversation's, and goes with its account", async () => {
    const database = await freshTestDatabase();
    const s = await session(database);
    open = { session: s, database };
    const [a, b] = [randomUUID(), randomUUID()];
    await s.query(`INSERT INTO accounts (id, name) VALUES ('${a}', 'A'), ('${b}', 'B')`);
    const [chat] = await addConversations(s, a, 1);
    const insert = (accountId: string, clientId: string) =>
      s.query(`INSERT INTO messages (account_id, conversation_id, seq, client_id, author, body)
               VALUES ('${accountId}', '${chat!.conversationId}', 1, '${clientId}', 'visitor', 'hi')`);
    await expect(insert(b, 'crossed')).rejects.toMatchObject({ code: '23503' });
    await insert(a, 'own');
    await s.query(`DELETE FROM accounts WHERE id = '${a}'`);
    expect(await s.query('SELECT id FROM messages')).toEqual([]);
  });
});
