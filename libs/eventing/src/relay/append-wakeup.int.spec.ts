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
    const appendAndTime = async (n: number, timeoutMs = 9_000) => {
      const started = Date.now();
      await store.append(`s-${randomUUID()}`, 0, [{ id: randomUUID(), type: 'Counted', schemaVersion: 1, data: {}, occurredAt: '2026-12-01T00:00:00Z' }],
        { partitionKey: 'k', metadata });
      while ((await published()) < n) {
        if (Date.now() - started > timeoutMs) throw new Error(`append ${n} not published within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 5));
      }
      return Date.now() - started;
    };
    const listening = async () => (await db.pool.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN es_events_appended%'`)).rows[0].n;
    relay.start();
    try {
      await pollUntil(async () => (await listening()) === 1 || undefined, { what: 'the relay listening' });
      // The first publish also connects the producer (seconds on a loaded machine): not timed.
      await appendAndTime(1, 60_000);
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

  it('looks again shortly when a notified commit is held back by an older open transaction, not at the next poll', async () => {
    const topic = uniqueTopic('held-back');
    await transport.ensureTopics([{ topic, partitions: 1 }]);
    // Its own database: the relay publishes every event of its database from the start.
    const own = await freshEventingDatabase();
    const store = new PostgresEventStore(own.pool);
    const relay = new Relay(own.pool, store, transport, { name: 'held-back', topic, source: 'test', idlePollMs: 10_000 });
    const published = async () => Number((await transport.endOffsets(topic))[0].offset);
    const append = () => store.append(`s-${randomUUID()}`, 0, [{ id: randomUUID(), type: 'Counted', schemaVersion: 1, data: {}, occurredAt: '2026-12-01T00:00:00Z' }],
      { partitionKey: 'k', metadata });
    relay.start();
    const older = await own.pool.connect();
    try {
      await append();
      await pollUntil(async () => (await published()) === 1 || undefined, { what: 'the first event', timeoutMs: 60_000 });
      // An older transaction holds the snapshot's xmin: the next commit is notified but not yet publishable.
      await older.query('BEGIN');
      await older.query('SELECT pg_current_xact_id()');
      await append();
      await new Promise((r) => setTimeout(r, 300));
      expect(await published()).toBe(1);
      const released = Date.now();
      await older.query('COMMIT');
      await pollUntil(async () => (await published()) === 2 || undefined, { what: 'the held-back event', timeoutMs: 9_000 });
      expect(Date.now() - released).toBeLessThan(3_000);
    } finally {
      await older.query('ROLLBACK').catch(() => undefined);
      older.release();
      await relay.stop();
      await own.drop();
    }
  }, 90_000);

  it('wakes the relay when an append inside a caller\'s transaction commits (its client is released), not at the next poll', async () => {
    const topic = uniqueTopic('in-transaction');
    await transport.ensureTopics([{ topic, partitions: 1 }]);
    const own = await freshEventingDatabase();
    const store = new PostgresEventStore(own.pool);
    const relay = new Relay(own.pool, store, transport, { name: 'in-transaction', topic, source: 'test', idlePollMs: 10_000 });
    const published = async () => Number((await transport.endOffsets(topic))[0].offset);
    const event = () => [{ id: randomUUID(), type: 'Counted', schemaVersion: 1, data: {}, occurredAt: '2026-12-01T00:00:00Z' }];
    relay.start();
    const caller = await own.pool.connect();
    let released = false;
    try {
      // The first publish also connects the producer: not timed.
      await store.append(`s-${randomUUID()}`, 0, event(), { partitionKey: 'k', metadata });
      await pollUntil(async () => (await published()) === 1 || undefined, { what: 'the first event', timeoutMs: 60_000 });
      await caller.query('BEGIN');
      await store.append(`s-${randomUUID()}`, 0, event(), { partitionKey: 'k', metadata }, caller);
      await caller.query('COMMIT');
      const committed = Date.now();
      caller.release();
      released = true;
      await pollUntil(async () => (await published()) === 2 || undefined, { what: 'the event appended in a transaction', timeoutMs: 9_000 });
      // Far below the 10 s poll: the release after the commit notified the relay.
      expect(Date.now() - committed).toBeLessThan(3_000);
    } finally {
      if (!released) caller.release();
      await relay.stop();
      await own.drop();
    }
  }, 90_000);
});
