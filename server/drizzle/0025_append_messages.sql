-- append_messages(items): the group-commit writer's one statement (#3). The source of truth of the
-- function: a change is an edit of this file (reviewed as a diff of the lines that change) plus a
-- new migration holding a copy of it (`npm run db:function -- append_messages`);
-- tests/unit/server/sqlFunctions.test.ts fails when the newest migration differs from this file.
-- Contract: appendMessages() in server/src/features/chats/repo.ts. Why it is written this way:
-- 0002_append_messages_keyed.sql.
CREATE OR REPLACE FUNCTION append_messages(items jsonb)
RETURNS TABLE (idx int, kind text, message json, conversation json)
LANGUAGE plpgsql
-- The plan is made once per connection, often while the tables are still small, and then kept:
-- a sequential scan chosen then would run on every batch however large the table grew.
SET enable_seqscan = off
-- The planner guesses one row for the batch, and would join the batch's own rows (fresh,
-- bumped, inserted) by nested loops: quadratic, 9 ms for a batch of 64 on PGlite. Hash joins
-- instead; the LATERAL probes stay nested loops, having no other way to run.
SET enable_nestloop = off
-- PostgreSQL before 18 prices a disabled join at 1e10, far past jit_above_cost: it would compile
-- the statement on every call (measured: 770 ms a batch). A batch never needs JIT.
SET jit = off
AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH input AS (
    SELECT * FROM jsonb_to_recordset(items) AS t(
      idx int, account_id uuid, conversation_id uuid, client_id text, author text,
      visitor_id uuid, operator_id uuid, author_name text, body text, preview text, visibility text, file_id uuid)
  ),
  -- The account's conversation, and for a visitor only their own.
  reach AS (
    SELECT i.*, c.status,
      -- #7 (W4): an operator's public message into a chat assigned to someone else (a colleague
      -- monitoring it answers by whisper, or takes it over first): refused, stored nowhere.
      (i.author = 'operator' AND i.visibility IS DISTINCT FROM 'internal' AND c.operator_id IS NOT NULL
        AND c.operator_id IS DISTINCT FROM i.operator_id) AS not_assignee
    FROM input i
    CROSS JOIN LATERAL (SELECT * FROM conversations c WHERE c.id = i.conversation_id LIMIT 1) c
    WHERE c.account_id = i.account_id AND (i.visitor_id IS NULL OR c.visitor_id = i.visitor_id)
  ),
  -- Resends: answered with what is stored, nothing written.
  stored AS (
    SELECT r.idx, m.* FROM reach r
    CROSS JOIN LATERAL (
      SELECT m.* FROM messages m
      WHERE m.conversation_id = r.conversation_id AND m.client_id = r.client_id
      LIMIT 1
    ) m
  ),
  fresh AS (
    SELECT r.*, (row_number() OVER (PARTITION BY r.conversation_id ORDER BY r.idx))::int AS ord,
      -- Rank among the batch's public messages of the conversation (used for those only).
      (row_number() OVER (PARTITION BY r.conversation_id, r.visibility = 'internal' ORDER BY r.idx))::int AS visitor_ord
    FROM reach r
    WHERE r.status <> 'closed' AND NOT r.not_assignee AND NOT EXISTS (SELECT 1 FROM stored s WHERE s.idx = r.idx)
  ),
  -- System notes ("joined the chat") and internal messages (#5: operators only) don't change who
  -- waits for whom, nor the preview.
  tally AS (
    SELECT f.conversation_id, count(*)::int AS n,
      (count(*) FILTER (WHERE f.visibility IS DISTINCT FROM 'internal'))::int AS visitor_n,
      (array_agg(f.author ORDER BY f.idx DESC) FILTER (WHERE f.author <> 'system' AND f.visibility IS DISTINCT FROM 'internal'))[1] AS last_author,
      (array_agg(f.preview ORDER BY f.idx DESC) FILTER (WHERE f.author <> 'system' AND f.visibility IS DISTINCT FROM 'internal'))[1] AS preview
    FROM fresh f GROUP BY f.conversation_id
  ),
  -- The row lock taken here orders concurrent writers, also on other server processes. A
  -- conversation closed since the snapshot is re-checked here and left out.
  bumped AS (
    UPDATE conversations c SET
      last_seq = c.last_seq + t.n,
      last_visitor_seq = c.last_visitor_seq + t.visitor_n,
      last_author = coalesce(t.last_author, c.last_author),
      preview = coalesce(t.preview, c.preview),
      last_message_at = CASE WHEN t.last_author IS NULL THEN c.last_message_at ELSE now() END
    FROM tally t
    WHERE c.id = ANY (ARRAY(SELECT conversation_id FROM tally)) AND c.id = t.conversation_id
      AND c.status <> 'closed'
    RETURNING c.*, t.n, t.visitor_n
  ),
  -- Gap-free: the conversation's n new seqs, in arrival order; and the public ones' visitor seqs
  -- (#6: the visitor's own numbering, in which an internal message leaves no gap).
  inserted AS (
    INSERT INTO messages (account_id, conversation_id, seq, visitor_seq, client_id, author, operator_id, author_name, body, visibility, file_id)
    SELECT f.account_id, f.conversation_id, b.last_seq - b.n + f.ord,
      CASE WHEN f.visibility = 'internal' THEN NULL ELSE b.last_visitor_seq - b.visitor_n + f.visitor_ord END,
      f.client_id, f.author, f.operator_id,
      coalesce(f.author_name, CASE WHEN f.author = 'visitor' THEN b.visitor_name ELSE '' END), f.body,
      coalesce(f.visibility, 'public'), f.file_id
    FROM fresh f JOIN bumped b ON b.id = f.conversation_id
    RETURNING *
  )
  SELECT f.idx, 'new'::text, row_to_json(m), row_to_json(b)
    FROM inserted m
    JOIN fresh f ON f.conversation_id = m.conversation_id AND f.client_id = m.client_id
    JOIN bumped b ON b.id = m.conversation_id
  UNION ALL
  SELECT s.idx, 'stored', row_to_json(s), NULL FROM stored s
  UNION ALL
  SELECT r.idx, 'not_assignee', NULL, NULL FROM reach r
    WHERE r.not_assignee AND r.status <> 'closed' AND NOT EXISTS (SELECT 1 FROM stored s WHERE s.idx = r.idx)
  UNION ALL
  SELECT r.idx, 'closed', NULL, NULL FROM reach r
    WHERE NOT EXISTS (SELECT 1 FROM stored s WHERE s.idx = r.idx)
      AND NOT (r.not_assignee AND r.status <> 'closed')
      AND NOT EXISTS (SELECT 1 FROM bumped b WHERE b.id = r.conversation_id);
END
$fn$;
