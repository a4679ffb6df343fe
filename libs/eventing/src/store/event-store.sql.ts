/**
 * Schema of a service's event store. The events table is also the relay's outbox.
 * `transaction_id` lets readers see rows in commit-safe order: a sequence value is taken
 * when a row is inserted, not when its transaction commits, so `global_position > last`
 * alone would skip rows of a transaction that commits late (ADR 0003).
 */
export const EVENT_STORE_DDL = `
CREATE TABLE IF NOT EXISTS events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
  stream_id       text        NOT NULL,
  stream_version  integer     NOT NULL,
  event_id        uuid        NOT NULL UNIQUE,
  event_type      text        NOT NULL,
  schema_version  integer     NOT NULL,
  partition_key   text        NOT NULL,
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL,
  occurred_at     timestamptz NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  hash            text        NOT NULL,
  CONSTRAINT events_stream_version_uq UNIQUE (stream_id, stream_version)
);
CREATE INDEX IF NOT EXISTS events_commit_order_idx ON events (transaction_id, global_position);
CREATE INDEX IF NOT EXISTS events_partition_key_idx ON events (partition_key, global_position);

CREATE TABLE IF NOT EXISTS idempotency_keys (
  scope       text        NOT NULL,
  key         text        NOT NULL,
  request_hash text       NOT NULL,
  response    jsonb       NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);

-- One round trip per append: check the expected version, extend the stream's hash chain,
-- insert the events and the idempotency record in the caller's transaction.
-- p_expected: NULL = any, 0 = stream must not exist, -1 = stream must exist, n = exact.
CREATE OR REPLACE FUNCTION es_append(
  p_stream_id text, p_expected integer, p_partition_key text, p_events jsonb,
  p_idem_scope text, p_idem_key text, p_idem_hash text, p_idem_response jsonb
) RETURNS TABLE (next_version integer, last_global_position bigint, appended boolean)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_head integer;
  v_hash text;
  v_event jsonb;
  v_version integer;
  v_pos bigint;
  v_first uuid := (p_events->0->>'id')::uuid;
  v_hashes text[] := '{}';
  v_head_xid xid8;
BEGIN
  -- An event id seen before means this exact append already happened: report, add nothing.
  SELECT e.stream_version INTO v_version FROM events e WHERE e.event_id = v_first;
  IF FOUND THEN
    SELECT max(e.stream_version), max(e.global_position) INTO v_version, v_pos
      FROM events e WHERE e.event_id IN (SELECT (x->>'id')::uuid FROM jsonb_array_elements(p_events) x);
    RETURN QUERY SELECT v_version, v_pos, false;
    RETURN;
  END IF;

  SELECT e.stream_version, e.hash, e.transaction_id INTO v_head, v_hash, v_head_xid
    FROM events e WHERE e.stream_id = p_stream_id ORDER BY e.stream_version DESC LIMIT 1;
  v_head := coalesce(v_head, 0);
  v_hash := coalesce(v_hash, '');

  -- Readers order by transaction id. A caller's transaction that got its id before the
  -- head's writer would sort this event before the head: refuse, the retry gets a newer id.
  IF v_head_xid IS NOT NULL AND v_head_xid > pg_current_xact_id() THEN
    RAISE EXCEPTION 'stream % was extended by a newer transaction; retry in a new transaction',
      p_stream_id USING ERRCODE = 'P0409';
  END IF;

  IF p_expected IS NOT NULL AND (
       (p_expected = -1 AND v_head = 0) OR (p_expected >= 0 AND p_expected <> v_head)) THEN
    RAISE EXCEPTION 'wrong expected version for stream %: expected %, actual %',
      p_stream_id, p_expected, v_head USING ERRCODE = 'P0409';
  END IF;

  -- Chain the hashes in memory, then insert every row with one statement.
  v_version := v_head;
  FOR v_event IN SELECT * FROM jsonb_array_elements(p_events) LOOP
    v_version := v_version + 1;
    v_hash := encode(sha256(convert_to(concat_ws('|', v_hash, p_stream_id, v_version::text,
      v_event->>'id', v_event->>'type', v_event->>'schemaVersion', (v_event->'data')::text,
      (v_event->'metadata')::text, v_event->>'occurredAt'), 'UTF8')), 'hex');
    v_hashes := v_hashes || v_hash;
  END LOOP;
  WITH inserted AS (
    INSERT INTO events (stream_id, stream_version, event_id, event_type, schema_version,
                        partition_key, data, metadata, occurred_at, hash)
    SELECT p_stream_id, v_head + e.n, (e.ev->>'id')::uuid, e.ev->>'type',
           (e.ev->>'schemaVersion')::integer, p_partition_key, e.ev->'data', e.ev->'metadata',
           (e.ev->>'occurredAt')::timestamptz, v_hashes[e.n]
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(ev, n)
    RETURNING global_position)
  SELECT max(global_position) INTO v_pos FROM inserted;

  IF p_idem_key IS NOT NULL THEN
    INSERT INTO idempotency_keys (scope, key, request_hash, response)
    VALUES (p_idem_scope, p_idem_key, p_idem_hash, p_idem_response);
  END IF;

  RETURN QUERY SELECT v_version, v_pos, true;
END
$fn$;
`;
