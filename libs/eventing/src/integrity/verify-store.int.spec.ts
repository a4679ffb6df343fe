import { randomUUID } from 'node:crypto';
import { freshEventingDatabase, TestDatabase } from '@crm/testing';
import { EventMetadata } from '@crm/contracts';
import { PostgresEventStore } from '../store/postgres-event-store';
import { NewEvent } from '../store/event-store.types';
import { anchorChainHeads } from './chain-anchor';
import { eventHash } from './event-hash';
import { verifyStore } from './verify-store';

const metadata: EventMetadata = { actor: { id: 'u1', roles: ['collector'] }, correlationId: 'c1', causationId: 'c1' };
const noted = (n: number): NewEvent => ({ id: randomUUID(), type: 'Noted', schemaVersion: 1, data: { n }, occurredAt: '2026-11-24T10:00:00.000Z' });
const now = '2026-12-01T00:00:00.000Z';

/**
 * Tampering done the way an insider with table access would: UPDATE, DELETE and INSERT on the
 * events table directly, then the whole-store verification (small keyset batches, so several
 * round trips) must name each one, and the anchored Merkle root catches a consistent rewrite.
 */
describe('verifyStore and chain anchors (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  const streams = ['account-a', 'account-b', 'account-c', 'account-d', 'account-e'];

  beforeEach(async () => {
    db = await freshEventingDatabase();
    store = new PostgresEventStore(db.pool);
    for (const stream of streams) {
      await store.append(stream, 'no_stream', [noted(1), noted(2), noted(3), noted(4)], { partitionKey: stream, metadata });
    }
  });
  afterEach(() => db.drop());

  const verify = () => verifyStore(db.pool, { batchSize: 3 });

  it('passes an intact store and its anchor, counting events and streams', async () => {
    const anchored = await anchorChainHeads(store, { now });
    expect(anchored).toMatchObject({ anchored: true, anchor: { streams: 5, events: 20, algorithm: 'sha256-rfc6962' } });
    await store.append('account-a', 4, [noted(5)], { partitionKey: 'account-a', metadata });
    const result = await verify();
    expect(result).toMatchObject({ valid: true, events: 22, streams: 6, findings: [] });
    expect(result.anchor).toMatchObject({ matches: true, streams: 5, recomputedStreams: 5, root: anchored.anchor!.root });
    expect(result.eventsPerSecond).toBeGreaterThan(0);
  });

  it('records no anchor when nothing was appended since the last one, and one another replica holds the lock for', async () => {
    expect((await anchorChainHeads(store, { now })).anchored).toBe(true);
    expect(await anchorChainHeads(store, { now })).toMatchObject({ anchored: false, skipped: 'unchanged' });
    const holder = await db.pool.connect();
    await holder.query(`SELECT pg_advisory_lock(hashtext('chain-anchor'))`);
    await store.append('account-b', 4, [noted(5)], { partitionKey: 'account-b', metadata });
    expect(await anchorChainHeads(store, { now })).toMatchObject({ anchored: false, skipped: 'busy' });
    await holder.query(`SELECT pg_advisory_unlock(hashtext('chain-anchor'))`);
    holder.release();
    expect(await anchorChainHeads(store, { now })).toMatchObject({ anchored: true, anchor: { streams: 6, events: 22 } });
  });

  it('names an altered, a removed and an inserted event, each in its stream', async () => {
    await anchorChainHeads(store, { now });
    await db.pool.query(`UPDATE events SET data = '{"n": 999}' WHERE stream_id = 'account-b' AND stream_version = 2`);
    await db.pool.query(`DELETE FROM events WHERE stream_id = 'account-c' AND stream_version = 3`);
    await db.pool.query(
      `INSERT INTO events (stream_id, stream_version, event_id, event_type, schema_version, partition_key, data, metadata, occurred_at, hash)
       VALUES ('account-d', 5, $1, 'PaymentReceived', 1, 'account-d', '{"amount": 100}', '{}', now(), $2)`, [randomUUID(), 'f'.repeat(64)]);
    const result = await verify();
    expect(result.valid).toBe(false);
    expect(result.findings.map((f) => [f.kind, f.streamId, f.streamVersion])).toEqual([
      ['altered', 'account-b', 2], ['removed', 'account-c', 3], ['inserted', 'account-d', 5],
    ]);
    expect(result.finding).toEqual(result.findings[0]);
    expect(result.findings[0].detail).toMatch(/no longer matches its hash/);
  });

  it('catches a stream rewritten with a consistent chain by the anchored root, and names it', async () => {
    await anchorChainHeads(store, { now });
    await db.pool.query(`UPDATE events SET data = '{"n": 1000}' WHERE stream_id = 'account-e' AND stream_version = 3`);
    await rechain(db, 'account-e');
    const result = await verify();
    expect(result.anchor).toMatchObject({ matches: false });
    expect(result.findings).toEqual([expect.objectContaining({ kind: 'altered', streamId: 'account-e', streamVersion: 4 })]);
    expect(result.findings[0].detail).toMatch(/rewritten with a consistent chain/);
  });

  it('catches the last event of a stream deleted after the anchor (no gap left in the chain)', async () => {
    await anchorChainHeads(store, { now });
    await db.pool.query(`DELETE FROM events WHERE stream_id = 'account-a' AND stream_version = 4`);
    const result = await verify();
    expect(result.valid).toBe(false);
    expect(result.findings).toEqual([expect.objectContaining({ kind: 'removed', streamId: 'account-a', streamVersion: 4 })]);
  });

  it('verifies one customer\'s streams against the anchor\'s copy of their heads', async () => {
    await anchorChainHeads(store, { now });
    expect(await verifyStore(db.pool, { scope: { partitionKey: 'account-e' } })).toMatchObject({ valid: true, events: 4, streams: 1 });
    await db.pool.query(`DELETE FROM events WHERE stream_id = 'account-e' AND stream_version = 4`);
    expect(await verifyStore(db.pool, { scope: { partitionKey: 'account-e' } })).toMatchObject({
      valid: false, findings: [expect.objectContaining({ kind: 'removed', streamId: 'account-e' })],
    });
    expect(await verifyStore(db.pool, { scope: { streamId: 'account-d' } })).toMatchObject({ valid: true, events: 4 });
  });
});

/** Recomputes every hash of a stream from its (tampered) rows: an internally consistent rewrite. */
async function rechain(db: TestDatabase, streamId: string): Promise<void> {
  const { rows } = await db.pool.query(
    `SELECT stream_version, event_id, event_type, schema_version, data::text AS data, metadata::text AS metadata, occurred_at
       FROM events WHERE stream_id = $1 ORDER BY stream_version`, [streamId]);
  let previous = '';
  for (const r of rows) {
    previous = eventHash(previous, { streamId, streamVersion: r.stream_version, eventId: r.event_id, eventType: r.event_type,
      schemaVersion: r.schema_version, data: r.data, metadata: r.metadata, occurredAt: new Date(r.occurred_at).toISOString() });
    await db.pool.query('UPDATE events SET hash = $1 WHERE stream_id = $2 AND stream_version = $3', [previous, streamId, r.stream_version]);
  }
}
