import { randomUUID } from 'node:crypto';
import {
  eventingChildScripts, freshEventingDatabase, kafkaBrokers, pollUntil, receivedDdl, ReceivedEventsHandler, runScript, TestDatabase, testTransport,
  uniqueTopic,
} from '@crm/testing';
import { PostgresEventStore } from '../store/postgres-event-store';
import { Relay } from './relay';
import { ConsumerRunner } from '../consumer/consumer-runner';
import { inboxDdl } from '../consumer/consumer.sql';
import { KafkajsTransport } from '../transport/kafkajs-transport';

const metadata = { actor: { id: 'u', roles: ['admin'] }, correlationId: 'c', causationId: 'c' };
const EVENTS = 1000;
const BATCH = 100;

function runRelayChild(env: Record<string, string>) {
  return runScript(eventingChildScripts.relay, env);
}

describe('relay crash and takeover (real PostgreSQL + Kafka, relay in a child process)', () => {
  let source: TestDatabase;
  let sink: TestDatabase;
  let transport: KafkajsTransport;

  beforeAll(async () => {
    [source, sink] = await Promise.all([freshEventingDatabase(), freshEventingDatabase()]);
    transport = testTransport('relay-crash');
  });
  afterAll(async () => {
    await transport.close();
    await Promise.all([source.drop(), sink.drop()]);
  });

  async function appendEvents(store: PostgresEventStore) {
    for (let s = 0; s < EVENTS / 10; s++) {
      const events = Array.from({ length: 10 }, (_, n) => ({
        id: randomUUID(), type: 'Counted', schemaVersion: 1, data: { n }, occurredAt: '2026-11-24T00:00:00Z',
      }));
      await store.append(`stream-${s % 25}`, 'any', events, { partitionKey: `stream-${s % 25}`, metadata });
    }
  }

  it('loses nothing when killed between the broker ack and its checkpoint; a standby takes over; the inbox absorbs duplicates', async () => {
    const topic = uniqueTopic('relay-crash');
    await transport.ensureTopics([{ topic, partitions: 3 }]);
    const store = new PostgresEventStore(source.pool);
    await appendEvents(store);

    const first = runRelayChild({ DATABASE_URL: source.url, KAFKA_BROKERS: kafkaBrokers().join(','), TOPIC: topic,
      RELAY_NAME: 'crash', BATCH_SIZE: String(BATCH), KILL_AFTER_BATCHES: '3' });
    // The standby starts while the child holds the lock: it must wait, then take over.
    await pollUntil(async () => (await source.pool.query(`SELECT holder FROM relay_checkpoints WHERE name = 'crash'`)).rows[0]?.holder,
      { what: 'child relay to lead' });
    const standby = new Relay(source.pool, store, transport, { name: 'crash', topic, source: 'test', batchSize: BATCH, idlePollMs: 20, leaseMs: 2000 });
    standby.start();

    const { signal } = await first.exit;
    expect(signal).toBe('SIGKILL');

    // Published 3 batches, checkpointed only 2: the third is published again after takeover.
    const ends = async () => (await transport.endOffsets(topic)).reduce((n, p) => n + Number(p.offset), 0);
    await pollUntil(async () => (await ends()) >= EVENTS + BATCH, { what: 'standby to publish the rest', timeoutMs: 60_000 });
    expect(standby.isLeader).toBe(true);
    await standby.stop();
    expect(await ends()).toBe(EVENTS + BATCH);

    await sink.pool.query(receivedDdl() + inboxDdl('crash_inbox'));
    const consumer = new ConsumerRunner(sink.pool, transport, new ReceivedEventsHandler(),
      { name: 'crash', groupId: `g-${randomUUID()}`, topics: [topic], inboxTable: 'crash_inbox' });
    await consumer.start();
    await pollUntil(async () => {
      const { rows } = await sink.pool.query(`SELECT sum("offset" + 1)::int AS n FROM consumer_checkpoints WHERE consumer = 'crash'`);
      return rows[0].n === EVENTS + BATCH;
    }, { what: 'consumer to read every message', timeoutMs: 60_000 });
    await consumer.stop();

    // The read model equals a clean run's: every stored event exactly once, in stream order.
    const { rows: received } = await sink.pool.query('SELECT event_id FROM received ORDER BY stream_id, stream_version');
    const { rows: stored } = await source.pool.query('SELECT event_id FROM events ORDER BY stream_id, stream_version');
    expect(received).toEqual(stored);
    const { rows: disorder } = await sink.pool.query(`
      SELECT 1 FROM (SELECT stream_version, row_number() OVER (PARTITION BY stream_id ORDER BY seq) AS arrival FROM received) r
       WHERE stream_version <> arrival`);
    expect(disorder).toEqual([]);
  }, 120_000);
});
