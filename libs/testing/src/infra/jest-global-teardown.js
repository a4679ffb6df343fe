const { Kafka, logLevel } = require('kafkajs');
const { eventTopics, invalidPayloads } = require('./published-payloads');

module.exports = async () => {
  try {
    const brokers = process.env.TEST_KAFKA_BROKERS;
    const admin = new Kafka({ clientId: 'jest-teardown', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const before = globalThis.__CRM_TOPICS_BEFORE__ ?? new Set();
    // Only this run's topics (testTopicPrefix tags them): another checkout's run on the same
    // broker may publish contracts this checkout does not have yet.
    const tag = `-${process.env.TEST_RUN_TAG}-`;
    const topics = (await eventTopics(admin)).filter((t) => !before.has(t) && t.split('.')[0].includes(tag));
    await admin.disconnect();
    const { checked, problems } = await invalidPayloads(brokers, topics);
    console.log(`\npublished payloads: ${checked} events on ${topics.length} topics checked against libs/contracts/schemas`);
    if (problems.length > 0) throw new Error(`published payloads that break their contract:\n  ${problems.slice(0, 30).join('\n  ')}`);
  } finally {
    for (const started of globalThis.__CRM_INFRA__ ?? []) await started.stop();
  }
};
