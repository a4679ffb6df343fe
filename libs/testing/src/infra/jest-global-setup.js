// Starts (or finds) one real PostgreSQL and one real Kafka for the whole integration run;
// each spec file then makes its own database and topics (see test-infra.ts).
const { ensurePostgres, ensureKafka } = require('../../../../infra/local/ensure-infra.cjs');

module.exports = async () => {
  const [pg, kafka] = await Promise.all([ensurePostgres(), ensureKafka()]);
  process.env.TEST_DATABASE_URL = pg.url;
  process.env.TEST_KAFKA_BROKERS = kafka.brokers;
  globalThis.__CRM_INFRA__ = [pg, kafka];
};
