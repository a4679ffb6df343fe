import { randomUUID } from 'node:crypto';
import { freshEventingDatabase, pollUntil, TestDatabase, testTransport, uniqueTopic } from '@crm/testing';
import { PostgresEventStore } from '../store/postgres-event-store';
import { KafkajsTransport } from '../transport/kafkajs-transport';
import { Relay } from './relay';

const metadata = { actor: { id: 'writer', roles: ['admin'] }, correlationId: 'c', causationId: 'c' };

/**
 * A commit wakes the relay (LISTEN/NOTIFY on real PostgreSQL): with a poll interval of 10 s,
 * each of a few appends still reaches Kafka long before it; killing the
 * listening connection falls back to polling and the next wait listens again.
 */
describe('relay woken by commits (real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let transport: KafkajsTransport;
  beforeAll(async () => {
    db = await freshEventingDatabase();
    transport = testTransport('wakeup-spec');
  });
  afterAll(async () => {
    await transport.close();
    await db.drop();
  });

  it('publishes an append at once, not at the next poll, and listens again after losing its connection', async () => {
    const topic = uniqueTopic('wakeup');
    await transport.ensureTopics([{ topic, partitions: 1 }]);
    const store = new PostgresEventStore(db.pool);
    const relay = new Relay(db.pool, store, transport, { name: 'wakeup', topic, source: 'test', idlePollMs: 10_000 });
    const published = async () => Number((await transport.endOffsets(topic))[0].offset);
    const appendAndTime = async (n: number) => {
      const started = Date.now();
      await store.append(`s-${randomUUID()}`, 0, [{ id: randomUUID(), type: 'Counted', schemaVersion: 1, data: {}, occurredAt: '2026-12-01T00:00:00Z' }],
        { partitionKey: 'k', metadata });
      while ((await published()) < n) {
        if (Date.now() - started > 9_000) throw new Error(`append ${n} not published before the 10 s poll`);
        await new Promise((r) => setTimeout(r, 5));
      }
      return Date.now() - started;
    };
    const listening = async () => (await db.pool.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN es_events_appended%'`)).rows[0].n;
    relay.start();
    try {
      await pollUntil(async () => (await listening()) === 1 || undefined, { what: 'the relay listening' });
      // The first publish also connects the producer (slow on a loaded machine): not timed.
      await appendAndTime(1);
      const latencies = [await appendAndTime(2), await appendAndTime(3), await appendAndTime(4)];
      // Far below the 10 s poll: a commit woke the relay (on an idle machine, tens of ms).
      expect(Math.max(...latencies)).toBeLessThan(3_000);

      await db.pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND query LIKE 'LISTEN es_events_appended%' AND pid <> pg_backend_pid()`);
      // A lost connection wakes the relay, which listens again on its next wait.
      await pollUntil(async () => (await listening()) === 1 || undefined, { what: 'the relay listening again' });
      expect(await appendAndTime(5)).toBeLessThan(3_000);
      expect(await listening()).toBe(1);
    } finally {
      await relay.stop();
    }
    expect(await listening()).toBe(0);
  }, 60_000);
});
