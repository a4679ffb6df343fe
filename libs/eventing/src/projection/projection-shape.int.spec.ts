import { randomUUID } from 'node:crypto';
import { counterProjection, freshEventingDatabase, pollUntil, TestDatabase, testTransport, uniqueTopic } from '@crm/testing';
import { KafkajsTransport } from '../transport/kafkajs-transport';
import { toKafkaMessage } from '../transport/cloud-event-mapping';
import { DocumentProjection } from './document-projection';
import { ProjectionRunner } from './projection-runner';

describe('projection tables of another shape (real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let transport: KafkajsTransport;
  const topic = uniqueTopic('shape');
  const groupPrefix = `shape-${randomUUID().slice(0, 8)}`;
  // The same read model, a release later: one more generated column.
  const counters = counterProjection(topic);
  const withLast: DocumentProjection = {
    ...counters, columns: [...counters.columns!, `last integer GENERATED ALWAYS AS ((doc->>'lastVersion')::integer) STORED`],
  };

  beforeAll(async () => {
    db = await freshEventingDatabase();
    transport = testTransport('shape-spec');
    await transport.ensureTopics([{ topic, partitions: 2 }]);
    await transport.publish(topic, Array.from({ length: 200 }, (_, i) => toKafkaMessage({
      id: randomUUID(), type: 'Counted', schemaVersion: 1, data: { n: i }, occurredAt: '2026-11-24T00:00:00.000Z',
      streamId: `k-${i % 10}`, streamVersion: Math.floor(i / 10) + 1, partitionKey: `k-${i % 10}`,
      globalPosition: String(i), transactionId: '1', hash: '', metadata: { actor: { id: 'u', roles: [] }, correlationId: 'c', causationId: 'c' },
    }, 'test')));
  });
  afterAll(async () => {
    await transport.close();
    await db.drop();
  });

  const documents = async () => (await db.pool.query('SELECT id, doc FROM counters ORDER BY id')).rows;
  const columns = async () => (await db.pool.query(
    `SELECT column_name FROM information_schema.columns WHERE table_name = 'counters' ORDER BY ordinal_position`)).rows.map((r) => r.column_name);
  async function runUntilCaughtUp(projection: DocumentProjection): Promise<ProjectionRunner> {
    const runner = new ProjectionRunner(db.pool, transport, projection, { groupPrefix });
    await runner.start();
    await pollUntil(async () => (await documents()).length === 10 && (await documents()).every((d) => d.doc.count === 20), { what: 'caught up' });
    return runner;
  }

  it('keeps tables of the same shape, and rebuilds ones made for another into the declared columns', async () => {
    const first = await runUntilCaughtUp(counters);
    await first.stop();
    const before = await documents();

    // Same shape: nothing to do.
    const again = await runUntilCaughtUp(counters);
    expect(again.progress.status).toBe('idle');
    await again.stop();
    expect((await db.pool.query('SELECT count(*)::int AS n FROM projection_rebuilds')).rows[0].n).toBe(0);

    // CREATE TABLE IF NOT EXISTS alone would keep the old columns; the changed shape forces a rebuild.
    const changed = new ProjectionRunner(db.pool, transport, withLast, { groupPrefix });
    await changed.start();
    expect(changed.progress.status).toBe('running');
    await pollUntil(async () => changed.progress.status === 'completed' || undefined, { what: 'the forced rebuild', timeoutMs: 60_000 });
    await changed.stop();
    expect(await columns()).toEqual(['id', 'doc', 'total', 'last']);
    expect(await documents()).toEqual(before);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM counters WHERE last = 20')).rows[0].n).toBe(10);

    // A table without a recorded shape (created before shapes were recorded) is rebuilt as well.
    await db.pool.query('COMMENT ON TABLE counters IS NULL');
    const unrecorded = new ProjectionRunner(db.pool, transport, withLast, { groupPrefix });
    await unrecorded.start();
    expect(unrecorded.progress.status).toBe('running');
    await pollUntil(async () => unrecorded.progress.status === 'completed' || undefined, { what: 'the rebuild of an unrecorded shape', timeoutMs: 60_000 });
    await unrecorded.stop();
    expect(await documents()).toEqual(before);
  });
});
