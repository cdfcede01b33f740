-- connect_visitor(args): a widget's handshake in one call (#4). The source of truth of the
-- function, kept like append_messages.sql (see its header). Contract and reasons:
-- 0005_connect_visitor.sql and connectVisitor() in server/src/features/visitors/repo.ts.
CREATE OR REPLACE FUNCTION connect_visitor(args jsonb)
RETURNS TABLE (visitor json, created boolean, conversation json, messages json)
LANGUAGE plpgsql
-- As for append_messages (0002): the kept plan must read rows by their keys whatever the table
-- sizes were when it was made, and never be JIT-compiled.
SET enable_seqscan = off
SET jit = off
AS $fn$
#variable_conflict use_column
DECLARE
  a_account uuid := (args->>'account_id')::uuid;
  a_claimed uuid := (args->>'visitor_id')::uuid;
  a_known uuid := (args->>'known_conversation_id')::uuid;
  a_known_seq int := coalesce((args->>'known_seq')::int, 0);
  a_page int := (args->>'page_size')::int;
  o jsonb := args->'origin';
BEGIN
  RETURN QUERY
  WITH touched AS (
    UPDATE visitors vt SET
      ip = o->>'ip', country = o->>'country', region = o->>'region', city = o->>'city',
      user_agent = o->>'userAgent', browser = o->>'browser', platform = o->>'platform',
      visits = CASE WHEN vt.last_seen_at < now() - interval '30 minutes' THEN vt.visits + 1 ELSE vt.visits END,
      visit_started_at = CASE WHEN vt.last_seen_at < now() - interval '30 minutes' THEN now() ELSE vt.visit_started_at END,
      pages_viewed = CASE WHEN vt.last_seen_at < now() - interval '30 minutes' THEN 0 ELSE vt.pages_viewed END,
      last_seen_at = now()
    WHERE vt.id = a_claimed AND vt.account_id = a_account
    RETURNING vt.*
  ),
  inserted AS (
    INSERT INTO visitors (account_id, ip, country, region, city, user_agent, browser, platform)
    SELECT a_account, o->>'ip', o->>'country', o->>'region', o->>'city', o->>'userAgent', o->>'browser', o->>'platform'
    WHERE NOT EXISTS (SELECT 1 FROM touched)
    RETURNING *
  ),
  v AS (SELECT t.*, false AS is_new FROM touched t UNION ALL SELECT i.*, true FROM inserted i),
  c AS (
    SELECT conv.* FROM conversations conv, v
    WHERE NOT v.is_new AND conv.visitor_id = v.id AND conv.account_id = v.account_id AND conv.status <> 'closed'
    LIMIT 1
  ),
  m AS (
    SELECT msg.* FROM messages msg, c
    WHERE msg.account_id = c.account_id AND msg.conversation_id = c.id
      -- A visitor reads public messages only (#5: audience on every read), numbered by their own
      -- sequence (#6): `known_seq` is a visitor seq.
      AND msg.visitor_seq > CASE WHEN c.id = a_known THEN a_known_seq ELSE 0 END
      AND msg.visibility = 'public'
    ORDER BY msg.visitor_seq
    LIMIT a_page
  )
  SELECT row_to_json(v)::json, v.is_new,
    (SELECT row_to_json(c) FROM c)::json,
    (SELECT json_agg(row_to_json(m) ORDER BY m.visitor_seq) FROM m)::json
  FROM v;
END
$fn$;
