import { freshDatabase, OwnKafkaBroker, ownKafkaBroker, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, testTopicPrefix } from '@crm/testing';

const SERVICES = ['customers', 'credit', 'receivables', 'engagement'] as const;

/**
 * Issue 13: the four services started together on a broker that has never seen a topic —
 * topics created by each, leaders elected, groups' coordinators loading — log no `level: 50`
 * line for those expected states (kafkajs retries them) and no TimeoutNegativeWarning.
 */
describe('start-up on a fresh broker (services as processes, a broker of the spec\'s own)', () => {
  let broker: OwnKafkaBroker;
  const dbs: TestDatabase[] = [];
  const services: RunningService[] = [];

  beforeAll(async () => {
    broker = await ownKafkaBroker();
    await broker.start();
  }, 240_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await Promise.all(dbs.map((d) => d.drop()));
    await broker?.remove();
  });

  it('logs no error for topic creation, leader elections or coordinators loading', async () => {
    const prefix = testTopicPrefix('e2e-startup');
    await Promise.all(SERVICES.map(async (name) => {
      const db = await freshDatabase();
      dbs.push(db);
      services.push(await startService(name, {
        KAFKA_BROKERS: broker.brokers, KAFKA_TOPIC_PREFIX: prefix, DATABASE_URL: db.url, AUTH_DEV_SECRET: TEST_AUTH_SECRET, LOG_LEVEL: 'info',
      }, 240_000));
    }));
    // Long enough for every consumer group to join and fetch (the states kafkajs logs come then).
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    const lines = services.flatMap((s) => s.output().split('\n'));
    const errors = lines.filter((l) => /"level":\s*50\b/.test(l));
    expect(errors).toEqual([]);
    expect(lines.filter((l) => l.includes('TimeoutNegativeWarning'))).toEqual([]);
    // The spec sees the services' logs at all: each logged its start.
    expect(lines.filter((l) => /"level":\s*30\b/.test(l)).length).toBeGreaterThan(4);
  }, 420_000);
});
