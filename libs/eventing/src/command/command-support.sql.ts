import { Queryable } from '../store/sql-client';

/**
 * Tables that keep a command's cost flat as its stream grows (ADR 12):
 * - `snapshots`: a stream's folded state at a version, by kind and schema version (a changed
 *   `evolve` bumps the schema version, and older snapshots are ignored, then replaced);
 * - `stream_lookups`: which stream owns an id (an invoice, a payment…), written in the
 *   append's transaction instead of scanning `events` by a JSON field;
 * - `stream_schedule`: the next business date on which a day close has work for a stream,
 *   so a close touches only the streams due, not all of them.
 * `es_append_indexed` appends (es_append) and writes lookups and schedule in one call.
 */
export const COMMAND_SUPPORT_DDL = `
CREATE TABLE IF NOT EXISTS snapshots (
  stream_id      text        PRIMARY KEY,
  kind           text        NOT NULL,
  schema_version integer     NOT NULL,
  stream_version integer     NOT NULL,
  state          jsonb       NOT NULL,
  taken_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS stream_lookups (
  kind      text NOT NULL,
  id        text NOT NULL,
  stream_id text NOT NULL,
  PRIMARY KEY (kind, id)
);

-- stream_version: the state the date was computed from; an older state never overwrites a newer.
CREATE TABLE IF NOT EXISTS stream_schedule (
  stream_id      text    NOT NULL PRIMARY KEY,
  category       text    NOT NULL,
  partition_key  text    NOT NULL,
  due_on         date    NOT NULL,
  stream_version integer NOT NULL
);
CREATE INDEX IF NOT EXISTS stream_schedule_due_idx ON stream_schedule (category, due_on, stream_id);

-- p_lookups: [{kind, id}] or NULL; p_schedule: NULL = unchanged, {category, dueOn|null}.
CREATE OR REPLACE FUNCTION es_append_indexed(
  p_stream_id text, p_expected integer, p_partition_key text, p_events jsonb,
  p_idem_scope text, p_idem_key text, p_idem_hash text, p_idem_response jsonb,
  p_lookups jsonb, p_schedule jsonb
) RETURNS TABLE (next_version integer, last_global_position bigint, appended boolean)
LANGUAGE plpgsql AS $fn$
DECLARE
  r record;
BEGIN
  SELECT * INTO r FROM es_append(p_stream_id, p_expected, p_partition_key, p_events,
    p_idem_scope, p_idem_key, p_idem_hash, p_idem_response);
  IF r.appended THEN
    IF p_lookups IS NOT NULL AND jsonb_array_length(p_lookups) > 0 THEN
      INSERT INTO stream_lookups (kind, id, stream_id)
      SELECT l->>'kind', l->>'id', p_stream_id FROM jsonb_array_elements(p_lookups) l
      ON CONFLICT DO NOTHING;
    END IF;
    IF p_schedule IS NOT NULL THEN
      IF p_schedule->>'dueOn' IS NULL THEN
        DELETE FROM stream_schedule WHERE stream_id = p_stream_id;
      ELSE
        INSERT INTO stream_schedule (stream_id, category, partition_key, due_on, stream_version)
        VALUES (p_stream_id, p_schedule->>'category', p_partition_key, (p_schedule->>'dueOn')::date, r.next_version)
        ON CONFLICT (stream_id) DO UPDATE
          SET due_on = EXCLUDED.due_on, category = EXCLUDED.category, stream_version = EXCLUDED.stream_version;
      END IF;
    END IF;
  END IF;
  RETURN QUERY SELECT r.next_version, r.last_global_position, r.appended;
END
$fn$;
`;

/**
 * The same schedule write as `es_append_indexed`'s, outside an append, from the state at
 * `version`: another replica's append of a later version, written meanwhile, is kept.
 */
export async function writeSchedule(db: Queryable, entry: {
  streamId: string; partitionKey: string; category: string; dueOn: string | null; version: number;
}): Promise<void> {
  if (entry.dueOn === null) {
    // The append that removes a due date removes the row: a row left is from an older state or a newer one.
    await db.query('DELETE FROM stream_schedule WHERE stream_id = $1 AND stream_version <= $2', [entry.streamId, entry.version]);
    return;
  }
  await db.query(
    `INSERT INTO stream_schedule (stream_id, category, partition_key, due_on, stream_version) VALUES ($1, $2, $3, $4::date, $5)
     ON CONFLICT (stream_id) DO UPDATE SET due_on = EXCLUDED.due_on, category = EXCLUDED.category, stream_version = EXCLUDED.stream_version
       WHERE stream_schedule.stream_version <= EXCLUDED.stream_version`,
    [entry.streamId, entry.category, entry.partitionKey, entry.dueOn, entry.version]);
}

/** Streams of a category due on or before a business date, in a stable order (keyset pages). */
export async function streamsDue(db: Queryable, category: string, onOrBefore: string, after: string | null, limit: number)
  : Promise<Array<{ streamId: string; partitionKey: string }>> {
  const { rows } = await db.query(
    `SELECT stream_id, partition_key FROM stream_schedule
      WHERE category = $1 AND due_on <= $2::date AND ($3::text IS NULL OR stream_id > $3)
      ORDER BY stream_id LIMIT $4`,
    [category, onOrBefore, after, limit]);
  return rows.map((r) => ({ streamId: r.stream_id, partitionKey: r.partition_key }));
}

/** Every stream of a category due on or before a business date, read in keyset pages. */
export async function allStreamsDue(db: Queryable, category: string, onOrBefore: string, page = 500)
  : Promise<Array<{ streamId: string; partitionKey: string }>> {
  const due: Array<{ streamId: string; partitionKey: string }> = [];
  for (let after: string | null = null; ;) {
    const rows = await streamsDue(db, category, onOrBefore, after, page);
    due.push(...rows);
    if (rows.length < page) return due;
    after = rows[rows.length - 1].streamId;
  }
}
