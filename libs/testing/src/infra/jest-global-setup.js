// Starts (or finds) one real PostgreSQL and one real Kafka for the whole integration run;
// each spec file then makes its own database and topics (see test-infra.ts).
const { ensurePostgres, ensureKafka } = require('../../../../infra/local/ensure-infra.cjs');
const { Kafka, logLevel } = require('kafkajs');
const { eventTopics } = require('./published-payloads');

module.exports = async () => {
  const [pg, kafka] = await Promise.all([ensurePostgres(), ensureKafka()]);
  process.env.TEST_DATABASE_URL = pg.url;
  process.env.TEST_KAFKA_BROKERS = kafka.brokers;
  globalThis.__CRM_INFRA__ = [pg, kafka];
  // Tags this run's topic prefixes (testTopicPrefix) so the end-of-run check reads only them.
  process.env.TEST_RUN_TAG = `r${require('node:crypto').randomUUID().slice(0, 6)}`;
  // The broker may keep topics of earlier runs: only this run's are checked at the end.
  const admin = new Kafka({ clientId: 'jest-setup', brokers: kafka.brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  globalThis.__CRM_TOPICS_BEFORE__ = new Set(await eventTopics(admin));
  await admin.disconnect();
};
