import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { installEventing, KafkajsTransport, ProjectionRunner, toKafkaMessage } from '@crm/eventing';
import { CpuByProcess, cpuByProcess, cpuSince } from './process-cpu';
import { customerDirectoryProjection } from '../apps/engagement/src/customer-directory/customer-directory.projection';

export interface RebuildFigures {
  events: number; rawConsume: number; rebuild: number;
  /** CPU seconds each process group spent during the rebuild: where the time goes. */
  rebuildCpuSeconds: CpuByProcess; rebuildWallSeconds: number;
}

/** Fills a customers topic with CustomerRegistered events (the slice's read model input). */
async function fillTopic(transport: KafkajsTransport, topic: string, events: number) {
  await transport.ensureTopics([{ topic, partitions: 6 }]);
  for (let i = 0; i < events; i += 5000) {
    const chunk = Array.from({ length: Math.min(5000, events - i) }, (_, n) => {
      const customerId = randomUUID();
      return toKafkaMessage({
        id: randomUUID(), type: 'CustomerRegistered', schemaVersion: 1, occurredAt: '2026-11-24T00:00:00.000Z',
        data: { customerId, kind: 'company', legalName: `Bench ${i + n}`, region: 'East', tags: ['bench'] },
        streamId: `customer-${customerId}`, streamVersion: 1, partitionKey: customerId, globalPosition: String(i + n + 1), transactionId: '1000', hash: '',
        metadata: { actor: { id: 'bench', roles: [] }, correlationId: 'b', causationId: 'b' },
      }, 'crm.customers');
    });
    await transport.publish(topic, chunk);
  }
}

/** kafkajs alone, no processing: the ceiling a rebuild is compared against. */
async function rawConsume(brokers: string[], topic: string, events: number): Promise<number> {
  const kafka = new Kafka({ clientId: 'bench-raw', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-raw-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  let started = 0n;
  const done = new Promise<number>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        if (started === 0n) started = process.hrtime.bigint();
        seen += batch.messages.length;
        if (seen >= events) resolve(Number(process.hrtime.bigint() - started) / 1e9);
      },
    });
  });
  const seconds = await done;
  await consumer.disconnect();
  return Math.round(events / seconds);
}

export async function benchRebuild(databaseUrl: string, brokers: string[], events: number): Promise<RebuildFigures> {
  const topic = `bench.customers.${randomUUID().slice(0, 8)}`;
  const transport = new KafkajsTransport({ brokers, clientId: 'bench', quiet: true });
  await fillTopic(transport, topic, events);
  const raw = await rawConsume(brokers, topic, events);

  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  await installEventing(pool);
  const projection = { ...customerDirectoryProjection(''), topics: [topic], table: `bench_directory_${randomUUID().slice(0, 8)}` };
  const runner = new ProjectionRunner(pool, transport, projection, { groupPrefix: `bench-${randomUUID().slice(0, 8)}` });
  await runner.install();
  const cpuBefore = cpuByProcess();
  const started = process.hrtime.bigint();
  await runner.startRebuild();
  while (runner.progress.status !== 'completed') await new Promise((r) => setTimeout(r, 20));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rebuildCpuSeconds = cpuSince(cpuBefore);
  await runner.stop();
  await pool.end();
  await transport.close();
  return { events, rawConsume: raw, rebuild: Math.round(events / seconds), rebuildCpuSeconds, rebuildWallSeconds: Math.round(seconds * 100) / 100 };
}
