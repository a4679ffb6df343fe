import { Queryable } from '../store/sql-client';

/**
 * Takes the next number of a series (1 for a new one) inside the caller's transaction, which
 * must be the append's (`CommandRequest.prepare`): the series' row stays locked until it
 * commits or rolls back, so numbers are gapless and increase in commit order. Writers of one
 * series queue on that row for the length of their decide + append.
 */
export async function takeGaplessNumber(tx: Queryable, series: string): Promise<number> {
  const { rows } = await tx.query(
    `INSERT INTO gapless_counters (series, last_value) VALUES ($1, 1)
     ON CONFLICT (series) DO UPDATE SET last_value = gapless_counters.last_value + 1
     RETURNING last_value`, [series]);
  return Number(rows[0].last_value);
}

/**
 * Which of the gates `ids` of a kind are closed, read under a share lock held until the
 * caller's transaction ends: a concurrent `closeGate` of one of them waits for this
 * transaction, and this read waits for a close in flight (then sees it closed).
 */
export async function closedGates(tx: Queryable, kind: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const sorted = [...new Set(ids)].sort();
  // A missing gate is created open, so there is a row to lock (a close in flight makes this wait).
  await tx.query(
    `INSERT INTO stream_gates (kind, id, closed, stream_id) SELECT $1, id, false, '' FROM unnest($2::text[]) id
     ON CONFLICT DO NOTHING`, [kind, sorted]);
  const { rows } = await tx.query(
    'SELECT id, closed FROM stream_gates WHERE kind = $1 AND id = ANY($2::text[]) ORDER BY id FOR SHARE', [kind, sorted]);
  return new Set(rows.filter((r) => r.closed).map((r) => r.id as string));
}

/** Closes a gate in the caller's (the closing append's) transaction; waits for writers reading it. */
export async function closeGate(tx: Queryable, gate: { kind: string; id: string; streamId: string }): Promise<void> {
  await tx.query(
    `INSERT INTO stream_gates (kind, id, closed, stream_id) VALUES ($1, $2, true, $3)
     ON CONFLICT (kind, id) DO UPDATE SET closed = true, stream_id = EXCLUDED.stream_id`,
    [gate.kind, gate.id, gate.streamId]);
}
