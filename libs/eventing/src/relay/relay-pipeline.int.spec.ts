import { randomUUID } from 'node:crypto';
import { freshEventingDatabase as freshDatabase, pollUntil, receivedDdl, ReceivedEventsHandler, TestDatabase, testTransport, uniqueTopic } from '@crm/testing';
import { PostgresEventStore } from '../store/postgres-event-store';
import { inTransaction } from '../store/sql-client';
import { NewEvent } from '../store/event-store.types';
import { Relay } from './relay';
import { ConsumerRunner } from '../consumer/consumer-runner';
import { inboxDdl } from '../consumer/consumer.sql';
import { KafkajsTransport } from '../transport/kafkajs-transport';

const metadata = { actor: { id: 'writer', roles: ['admin'] }, correlationId: 'c', causationId: 'c' };
const WRITERS = 16;
const EVENTS = 100_000;
const PER_APPEND = 10;
const STREAMS_PER_WRITER = 10;

describe('store → relay → Kafka → consumer under contention (real PostgreSQL + Kafka)', () => {
  let source: TestDatabase;
  let sink: TestDatabase;
  let transport: KafkajsTransport;
  const topic = uniqueTopic('pipeline');

  beforeAll(async () => {
    source = await freshDatabase({ poolSize: WRITERS + 4 });
    sink = await freshDatabase();
    await sink.pool.query(receivedDdl() + inboxDdl('pipeline_inbox'));
    transport = testTransport('pipeline');
    await transport.ensureTopics([{ topic, partitions: 4 }]);
  });
  afterAll(async () => {
    await transport.close();
    await Promise.all([source.drop(), sink.drop()]);
  });

  it('delivers 100k events from 16 writers with random commit delays exactly once in effect, in stream order', async () => {
    const store = new PostgresEventStore(source.pool);
    const relay = new Relay(source.pool, store, transport, { name: 'pipeline', topic, source: 'test', batchSize: 1000, idlePollMs: 10 });
    const consumer = new ConsumerRunner(sink.pool, transport, new ReceivedEventsHandler(),
      { name: 'pipeline', groupId: `g-${randomUUID()}`, topics: [topic], inboxTable: 'pipeline_inbox' });
    relay.start();
    await consumer.start();

    const appendsPerWriter = EVENTS / PER_APPEND / WRITERS;
    await Promise.all(Array.from({ length: WRITERS }, async (_, w) => {
      const versions = new Map<string, number>();
      for (let i = 0; i < appendsPerWriter; i++) {
        const stream = `w${w}-s${i % STREAMS_PER_WRITER}`;
        const version = versions.get(stream) ?? 0;
        const events: NewEvent[] = Array.from({ length: PER_APPEND }, (_, n) => ({
          id: randomUUID(), type: 'Counted', schemaVersion: 1, data: { n: version + n + 1 }, occurredAt: '2026-11-24T00:00:00Z',
        }));
        // The commit waits a random moment after the append: sequence order ≠ commit order.
        await inTransaction(source.pool, async (tx) => {
          await store.append(stream, version, events, { partitionKey: stream, metadata }, tx);
          await tx.query('SELECT pg_sleep($1)', [Math.random() * 0.004]);
        });
        versions.set(stream, version + PER_APPEND);
      }
    }));

    await pollUntil(async () => {
      const { rows } = await sink.pool.query('SELECT count(*)::int AS n FROM received');
      return rows[0].n >= EVENTS;
    }, { timeoutMs: 240_000, intervalMs: 500, what: 'all events consumed' });
    await relay.stop();
    await consumer.stop();

    const { rows: [totals] } = await sink.pool.query(
      'SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct_ids FROM received');
    expect(totals).toEqual({ n: EVENTS, distinct_ids: EVENTS });
    // In arrival order, each stream's versions run 1, 2, 3, … with no gap or swap.
    const { rows: disorder } = await sink.pool.query(`
      SELECT stream_id FROM (
        SELECT stream_id, stream_version, row_number() OVER (PARTITION BY stream_id ORDER BY seq) AS arrival
          FROM received) r
       WHERE stream_version <> arrival LIMIT 5`);
    expect(disorder).toEqual([]);
  }, 300_000);
});
