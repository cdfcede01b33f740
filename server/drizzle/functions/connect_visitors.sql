-- connect_visitors(items): the widget handshakes that arrived together, in one call (#4: after a
-- restart every widget reconnects at once; one statement per handshake kept the database thread
-- busy for 1.5 ms each on PGlite, one commit each on PostgreSQL; batches of 32 cost a tenth of
-- that per handshake). The source of truth of the function, kept like append_messages.sql (see
-- its header). Contract: connectVisitors() in server/src/features/visitors/repo.ts; each item
-- does what connect_visitor (0015) did for one.
--
-- items: [{ idx, account_id, visitor_id (verified claim or null), origin, known_conversation_id,
-- known_seq, page_size }]. One row per item, by idx: the visitor (the claimed one marked as seen,
-- or a brand-new one when the claim is absent or not the account's), whether it is new, its open
-- conversation and that conversation's public messages after known_seq (if the widget holds it).
CREATE OR REPLACE FUNCTION connect_visitors(items jsonb)
RETURNS TABLE (idx int, visitor json, created boolean, conversation json, messages json)
LANGUAGE plpgsql
-- As for append_messages (0002): the kept plan must read rows by their keys whatever the table
-- sizes were when it was made, and never be JIT-compiled.
SET enable_seqscan = off
SET jit = off
AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH input AS (
    SELECT * FROM jsonb_to_recordset(items) AS t(
      idx int, account_id uuid, visitor_id uuid, origin jsonb, known_conversation_id uuid, known_seq int, page_size int)
  ),
  -- One update per visitor, also when two of their tabs are in the batch (the later tab's origin).
  claims AS (
    SELECT DISTINCT ON (i.visitor_id, i.account_id) i.visitor_id, i.account_id, i.origin FROM input i
    WHERE i.visitor_id IS NOT NULL
    ORDER BY i.visitor_id, i.account_id, i.idx DESC
  ),
  touched AS (
    UPDATE visitors vt SET
      ip = o.origin->>'ip', country = o.origin->>'country', region = o.origin->>'region', city = o.origin->>'city',
      user_agent = o.origin->>'userAgent', browser = o.origin->>'browser', platform = o.origin->>'platform',
      visits = CASE WHEN vt.last_seen_at < now() - interval '30 minutes' THEN vt.visits + 1 ELSE vt.visits END,
      visit_started_at = CASE WHEN vt.last_seen_at < now() - interval '30 minutes' THEN now() ELSE vt.visit_started_at END,
      pages_viewed = CASE WHEN vt.last_seen_at < now() - interval '30 minutes' THEN 0 ELSE vt.pages_viewed END,
      last_seen_at = now()
    FROM claims o
    WHERE vt.id = o.visitor_id AND vt.account_id = o.account_id
    RETURNING vt.*
  ),
  -- No valid claim (none, forgotten, or not this account's): a new visitor, never somebody else.
  -- Its id is made here so the inserted row can be matched to its item.
  fresh AS (
    SELECT i.idx, gen_random_uuid() AS id, i.account_id, i.origin FROM input i
    WHERE NOT EXISTS (SELECT 1 FROM touched t WHERE t.id = i.visitor_id AND t.account_id = i.account_id)
  ),
  inserted AS (
    INSERT INTO visitors (id, account_id, ip, country, region, city, user_agent, browser, platform)
    SELECT f.id, f.account_id, f.origin->>'ip', f.origin->>'country', f.origin->>'region', f.origin->>'city',
      f.origin->>'userAgent', f.origin->>'browser', f.origin->>'platform'
    FROM fresh f
    RETURNING *
  ),
  v AS (
    SELECT i.idx, row_to_json(t)::json AS visitor, false AS is_new, t.id, t.account_id, i.known_conversation_id, i.known_seq, i.page_size
    FROM input i JOIN touched t ON t.id = i.visitor_id AND t.account_id = i.account_id
    UNION ALL
    SELECT f.idx, row_to_json(n)::json, true, n.id, n.account_id, NULL::uuid, 0, 0
    FROM fresh f JOIN inserted n ON n.id = f.id
  )
  SELECT v.idx, v.visitor, v.is_new, row_to_json(c)::json,
    (SELECT json_agg(row_to_json(m) ORDER BY m.visitor_seq) FROM (
      SELECT msg.* FROM messages msg
      WHERE msg.account_id = c.account_id AND msg.conversation_id = c.id
        -- A visitor reads public messages only (#5: audience on every read), numbered by their own
        -- sequence (#6): `known_seq` is a visitor seq.
        AND msg.visitor_seq > CASE WHEN c.id = v.known_conversation_id THEN coalesce(v.known_seq, 0) ELSE 0 END
        AND msg.visibility = 'public'
      ORDER BY msg.visitor_seq
      LIMIT v.page_size
    ) m)::json
  FROM v
  LEFT JOIN LATERAL (
    SELECT conv.* FROM conversations conv
    WHERE NOT v.is_new AND conv.visitor_id = v.id AND conv.account_id = v.account_id AND conv.status <> 'closed'
    LIMIT 1
  ) c ON true;
END
$fn$;
