import { randomUUID } from 'node:crypto';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentProjection, toKafkaMessage, Upcaster } from '@crm/eventing';
import { freshDatabase, kafkaBrokers, pollUntil, TestDatabase, testTransport, uniqueTopic, testTopicPrefix } from '@crm/testing';
import { loadServiceConfig } from '../config/service-config';
import { PlatformModule } from '../platform.module';
import { ProjectionsService } from './projections.service';

/** A service-level upcaster (not a contract's): version 2 of `ProbeRecorded` gained a region. */
const withRegion: Upcaster = { type: 'ProbeRecorded', fromVersion: 1, upcast: (data) => ({ ...data, region: 'unknown' }) };

describe('projections of a service (PlatformModule, real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  const transport = testTransport('projections-upcast-spec');
  const topic = uniqueTopic('upcast');
  const probe: DocumentProjection = {
    name: 'upcast-probe', table: 'upcast_probe', topics: [topic],
    keyOf: (e) => e.subject,
    evolve: (_doc, e) => ({ schemaVersion: e.schemaVersion, data: e.data }),
  };

  beforeAll(async () => {
    db = await freshDatabase();
    const config = loadServiceConfig('engagement', 0, {
      DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: testTopicPrefix('upcast'),
      AUTH_MODE: 'dev', AUTH_DEV_SECRET: 'test-secret-at-least-16-chars', LOG_LEVEL: 'silent',
    });
    @Module({ imports: [PlatformModule.forService({ config, projections: [probe], upcasters: [withRegion] })] })
    class ProbeServiceModule {}
    await transport.ensureTopics([{ topic, partitions: 1 }]);
    await transport.publish(topic, [toKafkaMessage({
      id: randomUUID(), type: 'ProbeRecorded', schemaVersion: 1, data: { customerId: 'c-1' }, occurredAt: '2026-11-24T00:00:00.000Z',
      streamId: 'c-1', streamVersion: 1, partitionKey: 'c-1', globalPosition: '1', transactionId: '1', hash: '',
      metadata: { actor: { id: 'u', roles: [] }, correlationId: 'c', causationId: 'c' },
    }, 'test')]);
    app = await NestFactory.createApplicationContext(ProbeServiceModule, { logger: false });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await transport.close();
    await db.drop();
  });

  const docs = async () => (await db.pool.query('SELECT id, doc FROM upcast_probe ORDER BY id')).rows;
  const upcast = [{ id: 'c-1', doc: { schemaVersion: 2, data: { customerId: 'c-1', region: 'unknown' } } }];

  it('upcasts old events with the service’s own upcasters, as its event store does, live and in a rebuild', async () => {
    await pollUntil(async () => (await docs()).length > 0, { what: 'the live projection to apply the event' });
    expect(await docs()).toEqual(upcast);

    const runner = app.get(ProjectionsService).runner('upcast-probe');
    await runner.startRebuild();
    await pollUntil(async () => runner.progress.status === 'completed' || undefined, { what: 'the rebuild to swap in', timeoutMs: 60_000 });
    expect(await docs()).toEqual(upcast);
  });
});
