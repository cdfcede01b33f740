/**
 * `npm run bench -- --archive` (P9, #6): the chat archive's search at scale. Generates
 * --archive-messages (1,000,000) messages over --archive-chats (50,000) closed chats of one
 * account, plus a tenth as much in a second account (noise that must never be found), directly in
 * SQL; builds the archive rows with the job's own statement (features/archive/repo.ts
 * indexConversations); then times --archive-searches (200) searches of mixed filters through the
 * service the socket command calls (snippets included). On PGlite (a temp data dir, on its worker
 * thread as the server runs it) and on PostgreSQL (a fresh database) when reachable.
 * Target: p95 ≤ 100 ms on both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { ArchiveSearchPayload } from '../../shared/schemas/archive';
import { openDatabase, type Database } from '../../server/src/db/client';
import { queryRows } from '../../server/src/db/raw';
import { indexConversations } from '../../server/src/features/archive/repo';
import { search } from '../../server/src/features/archive/service';
import { freshDatabase } from '../support/cluster';
import { round, summarize, type Summary } from './stats';

export interface ArchiveConfig {
  messages: number;
  chats: number;
  searches: number;
  dbs: ('pglite' | 'postgres')[];
  pgUrl: string;
}

export interface ArchiveTargetResult {
  db: 'pglite' | 'postgres';
  generateSeconds: number;
  indexSeconds: number;
  archiveRows: number;
  all: Summary;
  byKind: Record<string, Summary>;
  /** Results of another account's chats found (must be 0). */
  foreignHits: number;
}

export interface ArchiveResult {
  startedAt: string;
  seconds: number;
  machine: { cpus: number; model: string; node: string; loadavgStart: number[]; loadavgEnd: number[] };
  config: Omit<ArchiveConfig, 'pgUrl'>;
  targets: ArchiveTargetResult[];
}

/** Words of the generated chats: a few hundred real ones and synthetic ones, drawn Zipf-like (few common, many rare). */
const REAL_WORDS =
  'order refund shipping delivery invoice payment card account password login cancel return exchange size color price discount coupon warranty broken missing late tracking address email phone support help thanks hello please question problem issue product item package box courier week month today tomorrow monday friday weekend store online app website checkout cart subscription plan upgrade downgrade billing receipt tax vat europe germany france spain italy mars rocket battery charger cable screen keyboard mouse laptop phone tablet camera lens shoe shirt jacket dress bag watch ring'.split(
    ' ',
  );
const VOCABULARY = 5_000;

async function generate(db: Database['db'], o: { accountName: string; chats: number; perChat: number; visitors: number }): Promise<{ accountId: string }> {
  const [account] = await queryRows<{ id: string }>(db, sql`INSERT INTO accounts (name) VALUES (${o.accountName}) RETURNING id`);
  const accountId = account!.id;
  await db.execute(sql`
    INSERT INTO operators (account_id, email, name, role, password_hash)
    SELECT ${accountId}, 'op' || g || '-' || ${accountId} || '@bench.test', 'Operator ' || g, 'operator', 'x' FROM generate_series(1, 10) g`);
  await db.execute(sql`INSERT INTO departments (account_id, name) SELECT ${accountId}, 'Department ' || g FROM generate_series(1, 4) g`);
  await db.execute(sql`INSERT INTO visitors (account_id) SELECT ${accountId} FROM generate_series(1, ${o.visitors}::int)`);
  const words = sql.raw(`ARRAY[${REAL_WORDS.map((w) => `'${w}'`).join(',')}]`);
  // The vocabulary: real words first (the commonest), then w5…w4999.
  await db.execute(sql`CREATE TEMP TABLE IF NOT EXISTS bench_vocab (i int PRIMARY KEY, w text NOT NULL)`);
  await db.execute(sql`TRUNCATE bench_vocab`);
  await db.execute(sql`
    INSERT INTO bench_vocab SELECT g, coalesce((${words})[g + 1], 'w' || g) FROM generate_series(0, ${VOCABULARY - 1}::int) g`);
  // Chats in slices: one statement each for conversations and their messages.
  const slice = 2_000;
  for (let done = 0; done < o.chats; done += slice) {
    const n = Math.min(slice, o.chats - done);
    await db.execute(sql`
      WITH v AS (SELECT id, row_number() OVER () AS r FROM visitors WHERE account_id = ${accountId}),
           ops AS (SELECT id, name, row_number() OVER () AS r FROM operators WHERE account_id = ${accountId}),
           deps AS (SELECT id, row_number() OVER () AS r FROM departments WHERE account_id = ${accountId}),
           c AS (
             SELECT g, now() - (random() * interval '365 days') AS closed_at,
                    1 + (random() * ${o.visitors - 1})::int AS vr, 1 + (random() * 9)::int AS opr, (random() * 5)::int AS dr
             FROM generate_series(1, ${n}::int) g)
      INSERT INTO conversations (account_id, visitor_id, status, operator_id, operator_name, visitor_name, visitor_email, created_at, accepted_at,
                                 closed_at, last_seq, last_visitor_seq, department_id)
      SELECT ${accountId}, v.id, 'closed', ops.id, ops.name,
             (ARRAY['Alice','Bob','Carla','Deniz','Emil','Fatima','Goran','Hana','Ivan','Jade'])[1 + c.vr % 10] || ' ' || 'Visitor' || c.vr,
             'visitor' || c.vr || '@example.com', c.closed_at - interval '20 minutes', c.closed_at - interval '19 minutes', c.closed_at,
             ${o.perChat}::int, ${o.perChat}::int, deps.id
      FROM c JOIN v ON v.r = c.vr JOIN ops ON ops.r = c.opr LEFT JOIN deps ON deps.r = c.dr`);
  }
  // Messages: perChat a chat, visitor and operator in turn, 4–15 words each.
  const convs = await queryRows<{ id: string }>(db, sql`SELECT id FROM conversations WHERE account_id = ${accountId} ORDER BY id`);
  for (let i = 0; i < convs.length; i += slice) {
    const ids = sql`${`{${convs
      .slice(i, i + slice)
      .map((c) => c.id)
      .join(',')}}`}::uuid[]`;
    await db.execute(sql`
      INSERT INTO messages (account_id, conversation_id, seq, client_id, author, author_name, body, visibility, visitor_seq, created_at)
      SELECT ${accountId}, c.id, s, 'bench-' || s, CASE WHEN s % 2 = 1 THEN 'visitor' ELSE 'operator' END,
             CASE WHEN s % 2 = 1 THEN '' ELSE c.operator_name END,
             (SELECT string_agg(voc.a[1 + floor(${VOCABULARY}::int * power(random(), 4))::int + g * 0], ' ')
                FROM generate_series(1, 4 + (random() * 11)::int + s * 0) g),
             'public', s, c.closed_at - make_interval(mins => ${o.perChat}::int - s)
      FROM conversations c CROSS JOIN generate_series(1, ${o.perChat}::int) s
        CROSS JOIN (SELECT array_agg(w ORDER BY i) AS a FROM bench_vocab) voc
      WHERE c.id = ANY(${ids})`);
  }
  // Ratings: about 30 % good, 10 % bad.
  await db.execute(sql`
    INSERT INTO chat_ratings (conversation_id, account_id, score)
    SELECT id, account_id, CASE WHEN r < 0.3 THEN 'good' ELSE 'bad' END
    FROM (SELECT id, account_id, random() AS r FROM conversations WHERE account_id = ${accountId}) x WHERE r < 0.4`);
  return { accountId };
}

async function buildArchive(db: Database['db'], accountId: string): Promise<void> {
  const ids = await queryRows<{ id: string }>(db, sql`SELECT id FROM conversations WHERE account_id = ${accountId} ORDER BY id`);
  for (let i = 0; i < ids.length; i += 500)
    await indexConversations(
      db,
      accountId,
      ids.slice(i, i + 500).map((r) => r.id),
    );
}

/** The searches, mixed as operators would: words (common, rare, two, a phrase), people, filters, dates, pages. */
async function searches(db: Database['db'], accountId: string, count: number): Promise<{ kind: string; payload: ArchiveSearchPayload }[]> {
  const operators = await queryRows<{ id: string }>(db, sql`SELECT id FROM operators WHERE account_id = ${accountId}`);
  const departments = await queryRows<{ id: string }>(db, sql`SELECT id FROM departments WHERE account_id = ${accountId}`);
  const visitors = await queryRows<{ id: string; email: string }>(
    db,
    sql`SELECT visitor_id AS id, visitor_email AS email FROM chat_archive WHERE account_id = ${accountId} ORDER BY random() LIMIT 50`,
  );
  const pick = <T>(list: readonly T[], i: number) => list[i % list.length]!;
  const rareWord = (i: number) => `w${1000 + ((i * 37) % 3900)}`;
  const commonWord = (i: number) => pick(REAL_WORDS, i);
  const day = 86_400_000;
  const window = (i: number) => {
    const from = Date.now() - ((i * 7) % 330) * day - 30 * day;
    return { closedFrom: new Date(from).toISOString(), closedBefore: new Date(from + 30 * day).toISOString() };
  };
  const kinds: [string, (i: number) => ArchiveSearchPayload][] = [
    ['latest', () => ({})],
    ['common word', (i) => ({ text: commonWord(i) })],
    ['rare word', (i) => ({ text: rareWord(i) })],
    ['two words', (i) => ({ text: `${commonWord(i)} ${commonWord(i + 7)}` })],
    ['phrase', (i) => ({ text: `"${commonWord(i)} ${commonWord(i + 1)}"` })],
    ['word -word', (i) => ({ text: `${commonWord(i)} -${commonWord(i + 3)}` })],
    ['visitor prefix', (i) => ({ visitor: `${pick(['alice', 'bob', 'carla', 'visitor12', 'visitor3'], i)}` })],
    ['operator', (i) => ({ operatorId: pick(operators, i).id })],
    ['department', (i) => ({ departmentId: pick(departments, i).id })],
    ['rating', (i) => ({ rating: pick(['good', 'bad', 'none'] as const, i) })],
    ['date range', (i) => window(i)],
    ['word + operator', (i) => ({ text: commonWord(i), operatorId: pick(operators, i).id })],
    ['rare word + date range', (i) => ({ text: rareWord(i), ...window(i) })],
    ['rating + date range + department', (i) => ({ rating: 'bad', departmentId: pick(departments, i).id, ...window(i) })],
    ['earlier chats', (i) => ({ visitorId: pick(visitors, i).id, visitorEmail: pick(visitors, i).email })],
  ];
  return Array.from({ length: count }, (_, i) => {
    const [kind, make] = kinds[i % kinds.length]!;
    return { kind, payload: make(Math.floor(i / kinds.length)) };
  });
}

async function runTarget(kind: 'pglite' | 'postgres', config: ArchiveConfig): Promise<ArchiveTargetResult> {
  const dataDir = kind === 'pglite' ? mkdtempSync(path.join(os.tmpdir(), 'sidedesk-bench-archive-')) : null;
  const pg = kind === 'postgres' ? await freshDatabase('sidedesk_bench_archive', config.pgUrl) : null;
  const database = await openDatabase(dataDir ? { dataDir } : { url: pg!.url });
  try {
    await database.migrate();
    const { db } = database;
    const perChat = Math.max(2, Math.round(config.messages / config.chats));
    const t0 = Date.now();
    console.log(`  ${kind}: generating ${config.chats.toLocaleString('en')} chats × ${perChat} messages (+ a tenth in another account)…`);
    const a = await generate(db, { accountName: 'Bench A', chats: config.chats, perChat, visitors: Math.ceil(config.chats / 2.5) });
    const b = await generate(db, { accountName: 'Bench B', chats: Math.ceil(config.chats / 10), perChat, visitors: Math.ceil(config.chats / 25) });
    if (kind === 'postgres') await db.execute(sql`ANALYZE`);
    const generateSeconds = round((Date.now() - t0) / 1000, 1);
    console.log(`  ${kind}: generated in ${generateSeconds} s; indexing with the job's statement…`);
    const t1 = Date.now();
    await buildArchive(db, a.accountId);
    await buildArchive(db, b.accountId);
    await db.execute(sql`ANALYZE chat_archive`);
    const indexSeconds = round((Date.now() - t1) / 1000, 1);
    const [{ rows: archiveRows } = { rows: 0 }] = await queryRows<{ rows: number }>(db, sql`SELECT count(*)::int AS rows FROM chat_archive`);
    const bIds = new Set(
      (await queryRows<{ id: string }>(db, sql`SELECT conversation_id AS id FROM chat_archive WHERE account_id = ${b.accountId}`)).map((r) => r.id),
    );
    console.log(`  ${kind}: indexed ${archiveRows.toLocaleString('en')} chats in ${indexSeconds} s; ${config.searches} searches…`);

    const plan = await searches(db, a.accountId, config.searches);
    // A few to warm the caches (as a running server's are), not counted.
    for (const s of plan.slice(0, 10)) await search(db, a.accountId, s.payload);
    const samples: number[] = [];
    const byKind = new Map<string, number[]>();
    let foreignHits = 0;
    let cursor: ArchiveSearchPayload['cursor'];
    for (const [i, s] of plan.entries()) {
      // Every fifth search asks for the next page of the one before it (keyset).
      const payload = i % 5 === 4 && cursor ? { ...plan[i - 1]!.payload, cursor } : s.payload;
      const kindName = payload.cursor ? 'next page' : s.kind;
      const t = performance.now();
      const res = await search(db, a.accountId, payload);
      const ms = performance.now() - t;
      cursor = res.next ?? undefined;
      foreignHits += res.items.filter((r) => bIds.has(r.conversationId)).length;
      samples.push(ms);
      byKind.set(kindName, [...(byKind.get(kindName) ?? []), ms]);
    }
    return {
      db: kind,
      generateSeconds,
      indexSeconds,
      archiveRows,
      all: summarize(samples),
      byKind: Object.fromEntries([...byKind].map(([k, v]) => [k, summarize(v)])),
      foreignHits,
    };
  } finally {
    await database.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await pg?.drop();
  }
}

export async function runArchive(config: ArchiveConfig): Promise<ArchiveResult> {
  const started = Date.now();
  const result: ArchiveResult = {
    startedAt: new Date(started).toISOString(),
    seconds: 0,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '', node: process.version, loadavgStart: os.loadavg(), loadavgEnd: [] },
    config: { messages: config.messages, chats: config.chats, searches: config.searches, dbs: config.dbs },
    targets: [],
  };
  for (const db of config.dbs) result.targets.push(await runTarget(db, config));
  result.seconds = Math.round((Date.now() - started) / 1000);
  result.machine.loadavgEnd = os.loadavg();
  return result;
}

const ms = (v: number) => (Number.isFinite(v) ? `${round(v, v < 10 ? 1 : 0)}` : '–');

export function renderArchive(r: ArchiveResult): string {
  const lines = [
    `## Chat archive search (\`npm run bench -- --archive\`, P9, #6)`,
    '',
    `${r.startedAt}, ${r.seconds} s; ${r.machine.cpus} × ${r.machine.model}, Node ${r.machine.node}; load ${r.machine.loadavgStart.map((l) => round(l, 1)).join(' / ')} at the start, ${r.machine.loadavgEnd.map((l) => round(l, 1)).join(' / ')} at the end.`,
    `${r.config.messages.toLocaleString('en')} messages over ${r.config.chats.toLocaleString('en')} closed chats of one account (and a tenth as much in another), ${r.config.searches} searches of mixed filters through the service of \`archive:search\` (a page of 20 with snippets). Target: p95 ≤ 100 ms.`,
    '',
    '| database | archive rows | generate s | index s | p50 ms | p95 ms | p99 ms | max ms | other account found | p95 ≤ 100 ms |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...r.targets.map(
      (t) =>
        `| ${t.db} | ${t.archiveRows.toLocaleString('en')} | ${t.generateSeconds} | ${t.indexSeconds} | ${ms(t.all.p50)} | ${ms(t.all.p95)} | ${ms(t.all.p99)} | ${ms(t.all.max)} | ${t.foreignHits} | ${t.all.p95 <= 100 ? '✅' : '❌'} |`,
    ),
    '',
    'By kind of search (p50 / p95 / max ms):',
    '',
    `| search | ${r.targets.map((t) => t.db).join(' | ')} |`,
    `|---|${r.targets.map(() => '---|').join('')}`,
  ];
  const kinds = [...new Set(r.targets.flatMap((t) => Object.keys(t.byKind)))];
  for (const k of kinds)
    lines.push(
      `| ${k} | ${r.targets
        .map((t) => {
          const s = t.byKind[k];
          return s ? `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.max)}` : '–';
        })
        .join(' | ')} |`,
    );
  return lines.join('\n');
}
