import { randomUUID } from 'node:crypto';
import { freshDatabase, kafkaBrokers, startService, TEST_AUTH_SECRET, TestDatabase } from '@crm/testing';

/**
 * SIGTERM under load, as in a Kubernetes rollout: readiness turns 503 and responses close their
 * connections, so busy keep-alive clients let go and the process exits on its own.
 */
describe('graceful shutdown (process, real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(() => db.drop());

  it('drains busy keep-alive clients and exits by itself soon after SIGTERM', async () => {
    const service = await startService('engagement', { DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers().join(','),
      KAFKA_TOPIC_PREFIX: `e2e-${randomUUID().slice(0, 8)}.`, KAFKA_TOPIC_PARTITIONS: '1', AUTH_DEV_SECRET: TEST_AUTH_SECRET });
    let stopping = false;
    const seen = { closeHeaders: 0, notReady: 0 };
    // Keep-alive clients that never pause: without draining they would hold the server open.
    const clients = Array.from({ length: 6 }, async () => {
      while (!stopping) {
        const response = await fetch(`${service.url}/health/ready`).catch(() => undefined);
        if (!response) continue;
        if (response.headers.get('connection') === 'close') seen.closeHeaders++;
        if (response.status === 503) seen.notReady++;
        await response.arrayBuffer();
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalledAt = Date.now();
    const code = await service.stop('SIGTERM');
    const exitedAfterMs = Date.now() - signalledAt;
    stopping = true;
    await Promise.all(clients);

    expect(exitedAfterMs).toBeLessThan(10_000);
    expect(seen.closeHeaders + seen.notReady).toBeGreaterThan(0);
    expect([0, null]).toContain(code);
    expect(service.output()).toMatch(/shutting down/);
  });
});
