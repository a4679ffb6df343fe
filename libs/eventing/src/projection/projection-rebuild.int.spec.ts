import { randomUUID } from 'node:crypto';
import {
  counterProjection, eventingChildScripts, freshEventingDatabase, kafkaBrokers, pollUntil, runScript, TestDatabase, testTransport, uniqueTopic,
} from '@crm/testing';
import { KafkajsTransport } from '../transport/kafkajs-transport';
import { toKafkaMessage } from '../transport/cloud-event-mapping';
import { ProjectionRunner, RebuildRunningElsewhereError } from './projection-runner';

const KEYS = 50;
const EVENTS = 50_000;

describe('projection rebuild (real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let transport: KafkajsTransport;
  const topic = uniqueTopic('rebuild');
  const groupPrefix = `rebuild-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    db = await freshEventingDatabase();
    transport = testTransport('rebuild-spec');
    await transport.ensureTopics([{ topic, partitions: 3 }]);
    const messages = Array.from({ length: EVENTS }, (_, i) => toKafkaMessage({
      id: randomUUID(), type: 'Counted', schemaVersion: 1, data: { n: i }, occurredAt: '2026-11-24T00:00:00.000Z',
      streamId: `k-${i % KEYS}`, streamVersion: Math.floor(i / KEYS) + 1, partitionKey: `k-${i % KEYS}`,
      globalPosition: String(i), transactionId: '1', hash: '',
      metadata: { actor: { id: 'u', roles: [] }, correlationId: 'c', causationId: 'c' },
    }, 'test'));
    for (let i = 0; i < messages.length; i += 5000) await transport.publish(topic, messages.slice(i, i + 5000));
  }, 120_000);
  afterAll(async () => {
    await transport.close();
    await db.drop();
  });

  const rows = async (table = 'counters') => (await db.pool.query(`SELECT id, doc, total FROM ${table} ORDER BY id`)).rows;

  it('resumes a rebuild killed halfway and swaps in rows equal to the live ones; queries answer throughout', async () => {
    const live = new ProjectionRunner(db.pool, transport, counterProjection(topic), { groupPrefix });
    await live.start();
    await pollUntil(async () => {
      const r = await rows();
      return r.length === KEYS && r.every((x) => x.doc.count === EVENTS / KEYS);
    }, { what: 'live projection caught up', timeoutMs: 60_000 });
    const liveRows = await rows();
    await live.stop();

    const child = runScript(eventingChildScripts.rebuild, {
      DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers().join(','), TOPIC: topic, GROUP_PREFIX: groupPrefix, KILL_AT_PERCENT: '20',
    });
    expect((await child.exit).signal).toBe('SIGKILL');
    const killedAt = Number(/killed at ([\d.]+)/.exec(child.output())?.[1]);
    expect(killedAt).toBeLessThan(100);

    // Halfway: the rebuild is recorded as running, and the live table still answers in full.
    const { rows: [state] } = await db.pool.query(`SELECT status FROM projection_rebuilds WHERE projection = 'counters'`);
    expect(state.status).toBe('running');
    expect(await rows()).toEqual(liveRows);

    const resumed = new ProjectionRunner(db.pool, transport, counterProjection(topic), { groupPrefix });
    await resumed.start();
    await pollUntil(async () => resumed.progress.status === 'completed' || undefined, { what: 'resumed rebuild to complete', timeoutMs: 90_000 });
    await resumed.stop();
    expect(await rows()).toEqual(liveRows);
    expect(resumed.progress).toMatchObject({ status: 'completed', percent: 100, processed: EVENTS, total: EVENTS });
    // Another replica, or this one after a restart, reports the same from the database.
    const elsewhere = new ProjectionRunner(db.pool, transport, counterProjection(topic), { groupPrefix });
    expect(await elsewhere.recordedProgress()).toMatchObject({ status: 'completed', percent: 100, processed: EVENTS, total: EVENTS });
  });

  it('reports progress with percent, rate and ETA', async () => {
    const samples: number[] = [];
    const withProgress = new ProjectionRunner(db.pool, transport, counterProjection(topic),
      { groupPrefix, onProgress: (p) => samples.push(p.percent) });
    await withProgress.start();
    await withProgress.startRebuild();
    await pollUntil(async () => withProgress.progress.status === 'completed' || undefined, { what: 'rebuild', timeoutMs: 90_000 });
    await withProgress.stop();
    expect(samples.length).toBeGreaterThan(0);
    expect([...samples].sort((a, b) => a - b)).toEqual(samples);
    expect(withProgress.progress.eventsPerSecond).toBeGreaterThanOrEqual(0);
  });

  it('starts one rebuild when several requests arrive at once', async () => {
    const runner = new ProjectionRunner(db.pool, transport, counterProjection(topic), { groupPrefix });
    await runner.start();
    const started = await Promise.allSettled(Array.from({ length: 4 }, () => runner.startRebuild()));
    expect(started.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    await pollUntil(async () => runner.progress.status === 'completed' || undefined, { what: 'the one rebuild', timeoutMs: 90_000 });
    await runner.stop();
    const { rows: shadows } = await db.pool.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename LIKE 'counters%rebuild%'`);
    expect(shadows[0].n).toBe(0);
    expect((await rows()).every((r: any) => r.doc.count === EVENTS / KEYS)).toBe(true);
  });

  it('lets only one replica run a rebuild', async () => {
    const first = new ProjectionRunner(db.pool, transport, counterProjection(topic), { groupPrefix, maxBytesPerPartition: 32 * 1024 });
    const second = new ProjectionRunner(db.pool, transport, counterProjection(topic), { groupPrefix });
    await first.startRebuild();
    await expect(second.startRebuild()).rejects.toBeInstanceOf(RebuildRunningElsewhereError);
    await pollUntil(async () => first.progress.status === 'completed' || undefined, { what: 'first rebuild', timeoutMs: 90_000 });
    await Promise.all([first.stop(), second.stop()]);
  });
});
