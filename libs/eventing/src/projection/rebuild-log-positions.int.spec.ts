import { randomUUID } from 'node:crypto';
import { counterProjection, freshEventingDatabase, pollUntil, TestDatabase, testTransport, uniqueTopic } from '@crm/testing';
import { RecordedEvent } from '../store/event-store.types';
import { KafkajsTransport } from '../transport/kafkajs-transport';
import { toKafkaMessage } from '../transport/cloud-event-mapping';
import { ProjectionRunner } from './projection-runner';

const KEYS = 20;

/** What a relay publishes: events of one log, positions ascending (transaction 7). */
function logEvent(position: number, key = `k-${position % KEYS}`): RecordedEvent {
  return {
    id: randomUUID(), type: 'Counted', schemaVersion: 1, data: { n: position }, occurredAt: '2026-11-24T00:00:00.000Z',
    streamId: key, streamVersion: position, partitionKey: key, globalPosition: String(position), transactionId: '7', hash: '',
    metadata: { actor: { id: 'u', roles: [] }, correlationId: 'c', causationId: 'c' },
  };
}

/** As published before messages carried log positions: deduplicated through the inbox. */
const unpositioned = (n: number): RecordedEvent => ({ ...logEvent(0, `k-${n % KEYS}`), data: { n: 100_000 + n }, globalPosition: '0', transactionId: '0' });

/**
 * ADR 31: a rebuild drops a relay's repeats (the events it published again after a crash, at
 * later offsets) by the partition's last applied log position instead of an inbox row per
 * event; the swap hands that position to the live consumer, which then drops repeats of what
 * the rebuild applied although its new inbox has no rows for them.
 */
describe('rebuild deduplicated by log position (real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let transport: KafkajsTransport;
  const topic = uniqueTopic('rebuild-positions');
  const groupPrefix = `positions-${randomUUID().slice(0, 8)}`;
  const log = Array.from({ length: 2_000 }, (_, i) => logEvent(i + 1));
  const old = Array.from({ length: 10 }, (_, n) => unpositioned(n));
  const publish = (events: RecordedEvent[]) => transport.publish(topic, events.map((e) => toKafkaMessage(e, 'test')));

  /** Per key: how many events and what sum a correct exactly-once model holds. */
  const expected = (events: RecordedEvent[]) => {
    const byKey = new Map<string, { count: number; sum: number }>();
    for (const e of events) {
      const entry = byKey.get(e.partitionKey) ?? { count: 0, sum: 0 };
      byKey.set(e.partitionKey, { count: entry.count + 1, sum: entry.sum + (e.data as { n: number }).n });
    }
    return [...byKey].sort(([a], [b]) => a.localeCompare(b)).map(([id, v]) => ({ id, ...v }));
  };
  const rows = async () => (await db.pool.query(`SELECT id, (doc->>'count')::int AS count, (doc->>'sum')::int AS sum FROM counters ORDER BY id`)).rows;
  const reaches = (events: RecordedEvent[]) => pollUntil(async () => {
    const r = await rows();
    return JSON.stringify(r) === JSON.stringify(expected(events)) ? r : undefined;
  }, { what: 'the counters to reach the expected figures', timeoutMs: 60_000 });

  beforeAll(async () => {
    db = await freshEventingDatabase();
    transport = testTransport('rebuild-positions-spec');
    await transport.ensureTopics([{ topic, partitions: 2 }]);
    // Old unpositioned messages (one of them twice), the log, and a relay crash's repeat of 1001–1500.
    await publish([...old, old[3]]);
    await publish(log.slice(0, 1_500));
    await publish(log.slice(1_000, 1_500));
    await publish(log.slice(1_500));
  }, 60_000);
  afterAll(async () => {
    await transport.close();
    await db.drop();
  });

  it('rebuilds equal to live without an inbox row per positioned event; after the swap the live consumer still drops repeats', async () => {
    const runner = new ProjectionRunner(db.pool, transport, counterProjection(topic), { groupPrefix });
    await runner.start();
    const live = await reaches([...old, ...log]);
    const { rows: [liveInbox] } = await db.pool.query('SELECT count(*)::int AS n FROM counters_inbox');
    expect(liveInbox.n).toBe(old.length + log.length);

    await runner.startRebuild();
    await pollUntil(async () => runner.progress.status === 'completed' || undefined, { what: 'the rebuild', timeoutMs: 60_000 });
    expect(await rows()).toEqual(live);
    // The swapped-in inbox holds only the messages without a position.
    const { rows: [inbox] } = await db.pool.query('SELECT count(*)::int AS n FROM counters_inbox');
    expect(inbox.n).toBe(old.length);
    const { rows: applied } = await db.pool.query(
      `SELECT partition, applied_position::int AS position FROM consumer_checkpoints WHERE consumer = 'counters' ORDER BY partition`);
    expect(applied.map((a) => a.position)).toEqual([expect.any(Number), expect.any(Number)]);
    expect(Math.max(...applied.map((a) => a.position))).toBe(log.length);

    // Another relay crash repeats old events, then new ones follow: only the new ones count.
    const next = Array.from({ length: 100 }, (_, i) => logEvent(log.length + i + 1));
    await publish([...log.slice(0, 300), old[5]]);
    await publish(next);
    await reaches([...old, ...log, ...next]);
    await runner.stop();
  });
});
