import path from 'node:path';
import { eventsTopic } from '@crm/contracts';
import { KafkajsTransport } from '@crm/eventing';
import { freshDatabase, kafkaBrokers, runScript, startService, TEST_AUTH_SECRET, TestDatabase, testTopicPrefix } from '@crm/testing';
import { Kafka } from 'kafkajs';

const main = path.resolve(__dirname, '../../credit/src/main.ts');

/**
 * What a cluster run by enterprise IT needs at start-up (real PostgreSQL + Kafka): migrations
 * run by a Job (`main.js migrate`) while the runtime refuses to start on a pending schema;
 * topics declared outside the service (KAFKA_CREATE_TOPICS=false) and event topics that keep
 * everything — a limited retention stops the start, naming the topic.
 */
describe('start-up: migration job, declared topics, infinite retention (credit as a process)', () => {
  const dbs: TestDatabase[] = [];
  const kafka = new Kafka({ clientId: 'e2e-startup-topics', brokers: kafkaBrokers(), logLevel: 0 });
  const admin = kafka.admin();
  const transport = new KafkajsTransport({ clientId: 'e2e-startup-topics', brokers: kafkaBrokers(), quiet: true });
  const env = (db: TestDatabase, prefix: string, extra: Record<string, string> = {}) => ({
    KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '1', AUTH_DEV_SECRET: TEST_AUTH_SECRET,
    DATABASE_URL: db.url, LOG_LEVEL: 'warn', ...extra,
  });
  const database = async () => { const db = await freshDatabase(); dbs.push(db); return db; };
  const creditTopics = (prefix: string) => [eventsTopic('credit', prefix), eventsTopic('receivables', prefix), eventsTopic('customers', prefix),
    `${prefix}crm.credit.dead-letter`];

  beforeAll(() => admin.connect());
  afterAll(async () => {
    await admin.disconnect();
    await transport.close();
    await Promise.all(dbs.map((d) => d.drop()));
  });

  it('runs migrations as a job and exits; without the job a replica refuses to start on a pending schema', async () => {
    const prefix = testTopicPrefix('e2e');
    const pending = await database();
    const refused = runScript(main, env(pending, prefix, { MIGRATIONS_AT_STARTUP: 'false' }));
    expect((await refused.exit).code).toBe(1);
    expect(refused.output()).toMatch(/migrations are pending and MIGRATIONS_AT_STARTUP=false/);
    expect((await pending.pool.query(`SELECT to_regclass('events') AS t`)).rows[0].t).toBeNull();

    const migrated = await database();
    const job = runScript(main, env(migrated, prefix), ['migrate']);
    expect((await job.exit).code).toBe(0);
    expect(job.output()).toMatch(/migrations applied \(\d+ recorded\)/);
    expect((await migrated.pool.query(`SELECT to_regclass('events') AS t`)).rows[0].t).toBe('events');
    const credit = await startService('credit', env(migrated, prefix, { MIGRATIONS_AT_STARTUP: 'false' }));
    expect((await fetch(`${credit.url}/health/ready`)).status).toBe(200);
    await credit.stop();
  }, 120_000);

  it('with KAFKA_CREATE_TOPICS=false a missing topic stops the start, naming it; declared ones are used', async () => {
    const prefix = testTopicPrefix('e2e');
    const db = await database();
    const refused = runScript(main, env(db, prefix, { KAFKA_CREATE_TOPICS: 'false' }));
    expect((await refused.exit).code).toBe(1);
    expect(refused.output()).toMatch(new RegExp(`topics .*${prefix.replace('.', '\\.')}crm\\.\\w+\\.events.* do not exist and KAFKA_CREATE_TOPICS=false`));
    expect((await admin.listTopics()).filter((t) => t.startsWith(prefix))).toEqual([]);

    await transport.ensureTopics(creditTopics(prefix).map((topic) => ({ topic, partitions: 1 })));
    const credit = await startService('credit', env(db, prefix, { KAFKA_CREATE_TOPICS: 'false' }));
    expect((await fetch(`${credit.url}/health/ready`)).status).toBe(200);
    await credit.stop();
  }, 120_000);

  it('refuses to start when an event topic it reads keeps events for a limited time, naming the topic and its retention', async () => {
    const prefix = testTopicPrefix('e2e');
    const limited = eventsTopic('receivables', prefix);
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: limited, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '604800000' }] }] });
    const refused = runScript(main, env(await database(), prefix));
    expect((await refused.exit).code).toBe(1);
    expect(refused.output()).toContain(`topics ${limited} (retention.ms=604800000) do not keep their events forever`);
  }, 120_000);
});
