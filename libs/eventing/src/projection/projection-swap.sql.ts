import { Pool } from 'pg';
import { inTransaction } from '../store/sql-client';

export interface ProjectionTables {
  documents: string;
  inbox: string;
  /** Companion tables of the projection, by logical name. */
  [companion: string]: string;
}

/**
 * Swaps a rebuild's shadow tables in for the live ones in one transaction, under the lock
 * every live batch takes (shared there, exclusive here), and only if the rebuild has seen at
 * least everything the live consumer applied. False: not yet, keep replaying.
 */
export function swapShadowTables(input: {
  pool: Pool;
  projection: string;
  rebuildId: string;
  swapLockKey: string;
  live: ProjectionTables;
  shadow: ProjectionTables;
  /** Consumer names, the keys of checkpoints and parked events. */
  liveConsumer: string;
  rebuildConsumer: string;
}): Promise<boolean> {
  const { live, shadow, liveConsumer, rebuildConsumer } = input;
  return inTransaction(input.pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [input.swapLockKey]);
    const { rows: behind } = await tx.query(
      `SELECT 1 FROM consumer_checkpoints l
         LEFT JOIN consumer_checkpoints r ON r.consumer = $2 AND r.topic = l.topic AND r.partition = l.partition
        WHERE l.consumer = $1 AND coalesce(r."offset", -1) < l."offset"`,
      [liveConsumer, rebuildConsumer]);
    if (behind.length > 0) return false;
    for (const key of Object.keys(live)) {
      await tx.query(`DROP TABLE ${live[key]}`);
      await tx.query(`ALTER TABLE ${shadow[key]} RENAME TO ${live[key]}`);
      const { rows: indexes } = await tx.query(
        `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1`, [live[key]]);
      for (const { indexname } of indexes) {
        const renamed = indexname.replace(shadow[key], live[key]);
        if (renamed !== indexname) await tx.query(`ALTER INDEX ${indexname} RENAME TO ${renamed}`);
      }
    }
    // The rebuild's last applied log positions become the live consumer's: the live inbox
    // that comes in holds no rows for the events the rebuild deduplicated by position, so the
    // live consumer drops their repeats (and its own redeliveries up to here) by it (ADR 31).
    await tx.query(
      `INSERT INTO consumer_checkpoints (consumer, topic, partition, "offset", last_event_time, applied_transaction_id, applied_position)
       SELECT $1, topic, partition, "offset", last_event_time, applied_transaction_id, applied_position FROM consumer_checkpoints WHERE consumer = $2
       ON CONFLICT (consumer, topic, partition) DO UPDATE
         SET "offset" = GREATEST(consumer_checkpoints."offset", EXCLUDED."offset"),
             applied_transaction_id = EXCLUDED.applied_transaction_id, applied_position = EXCLUDED.applied_position`,
      [liveConsumer, rebuildConsumer]);
    await tx.query('DELETE FROM consumer_checkpoints WHERE consumer = $1', [rebuildConsumer]);
    // The replay re-parked whatever still fails, from offset zero up to at least the live
    // consumer's position: its parked set replaces the live one (no duplicates), and those
    // events now block their keys in the live model, replayable there.
    await tx.query('DELETE FROM parked_events WHERE consumer = $1 AND replayed_at IS NULL', [liveConsumer]);
    await tx.query('UPDATE parked_events SET consumer = $1 WHERE consumer = $2 AND replayed_at IS NULL', [liveConsumer, rebuildConsumer]);
    await tx.query(
      `UPDATE projection_rebuilds SET status = 'completed', finished_at = now() WHERE projection = $1 AND rebuild_id = $2`,
      [input.projection, input.rebuildId]);
    return true;
  });
}
