import { randomUUID } from 'node:crypto';
import { CHAIN_ANCHORS_STREAM, ChainHeadsAnchoredV1, EventMetadata, MERKLE_ALGORITHM } from '@crm/contracts';
import { Pool, PoolClient } from 'pg';
import { PostgresEventStore } from '../store/postgres-event-store';
import { headLeaf, MerkleRoot } from './merkle';

export interface ChainAnchorOutcome {
  anchored: boolean;
  /** Why nothing was recorded: another replica is anchoring, or nothing was appended since. */
  skipped?: 'busy' | 'unchanged';
  anchor?: ChainHeadsAnchoredV1;
  durationMs: number;
}

const LOCK = 'chain-anchor';
const BATCH = 5000;

/**
 * Records `ChainHeadsAnchored`: a Merkle root over every stream's head as of one snapshot.
 * The heads are read in a read-only snapshot transaction (it takes no transaction id, so the
 * relay, which reads below the oldest one, is never held up), in keyset batches of streams;
 * their copy for diagnosis goes in with short transactions, and the table swap and the event
 * commit together. One replica at a time (a session advisory lock); nothing new, no anchor.
 */
export async function anchorChainHeads(store: PostgresEventStore, options: { now: string; actor?: string }): Promise<ChainAnchorOutcome> {
  const started = Date.now();
  const pool: Pool = store.pool;
  const client = await pool.connect();
  try {
    const { rows: [lock] } = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS got', [LOCK]);
    if (!lock.got) return { anchored: false, skipped: 'busy', durationMs: Date.now() - started };
    try {
      const previous = await latestAnchorPosition(client);
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      let heads: { root: string; streams: number; events: number; snapshot: string; last: number };
      try {
        const { rows: [snap] } = await client.query(
          `SELECT pg_current_snapshot()::text AS snapshot, coalesce((SELECT max(global_position) FROM events), 0)::bigint AS last`);
        if (previous && Number(snap.last) === previous.globalPosition) {
          await client.query('COMMIT');
          return { anchored: false, skipped: 'unchanged', durationMs: Date.now() - started };
        }
        await pool.query('DROP TABLE IF EXISTS chain_anchor_heads_next; CREATE TABLE chain_anchor_heads_next (LIKE chain_anchor_heads INCLUDING ALL)');
        heads = { ...(await readHeads(client, pool)), snapshot: snap.snapshot, last: Number(snap.last) };
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      const anchor: ChainHeadsAnchoredV1 = {
        root: heads.root, algorithm: MERKLE_ALGORITHM, streams: heads.streams, events: heads.events,
        lastGlobalPosition: heads.last, snapshot: heads.snapshot, anchoredAt: options.now,
      };
      await record(store, client, anchor, previous?.streamVersion ?? 0, options);
      return { anchored: true, anchor, durationMs: Date.now() - started };
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}

async function latestAnchorPosition(db: PoolClient): Promise<{ streamVersion: number; globalPosition: number } | undefined> {
  const { rows } = await db.query(
    `SELECT stream_version, global_position FROM events WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1`, [CHAIN_ANCHORS_STREAM]);
  return rows[0] && { streamVersion: rows[0].stream_version, globalPosition: Number(rows[0].global_position) };
}

/** Every stream's head in the snapshot, in store order: into the root and the diagnostic copy. */
async function readHeads(snapshot: PoolClient, pool: Pool): Promise<{ root: string; streams: number; events: number }> {
  const merkle = new MerkleRoot();
  let after = '';
  let events = 0;
  for (;;) {
    const { rows } = await snapshot.query(
      `SELECT DISTINCT ON (stream_id) stream_id, stream_version, hash FROM events
        WHERE stream_id > $1 ORDER BY stream_id, stream_version DESC LIMIT ${BATCH}`, [after]);
    if (rows.length === 0) break;
    for (const r of rows) {
      merkle.add(headLeaf(r.stream_id, r.stream_version, r.hash));
      events += r.stream_version;
    }
    await pool.query(
      `INSERT INTO chain_anchor_heads_next (stream_id, stream_version, hash)
       SELECT h->>0, (h->>1)::integer, h->>2 FROM json_array_elements($1::json) h`,
      [JSON.stringify(rows.map((r) => [r.stream_id, r.stream_version, r.hash]))]);
    after = rows[rows.length - 1].stream_id;
    if (rows.length < BATCH) break;
  }
  return { root: merkle.root(), streams: merkle.leaves, events };
}

async function record(store: PostgresEventStore, client: PoolClient, anchor: ChainHeadsAnchoredV1, expected: number, options: { now: string; actor?: string }) {
  const id = randomUUID();
  const metadata: EventMetadata = {
    actor: { id: options.actor ?? 'system:chain-anchor', roles: [] }, correlationId: id, causationId: id, command: 'AnchorChainHeads',
  };
  await client.query('BEGIN');
  try {
    await client.query('DROP TABLE chain_anchor_heads; ALTER TABLE chain_anchor_heads_next RENAME TO chain_anchor_heads');
    await client.query(`ALTER INDEX IF EXISTS chain_anchor_heads_next_pkey RENAME TO chain_anchor_heads_pkey`);
    await store.append(CHAIN_ANCHORS_STREAM, expected === 0 ? 'no_stream' : expected,
      [{ id, type: 'ChainHeadsAnchored', schemaVersion: 1, data: { ...anchor }, occurredAt: options.now }],
      { partitionKey: CHAIN_ANCHORS_STREAM, metadata }, client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
