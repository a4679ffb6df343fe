// After the integration run: every event the services (and the specs, standing in for a
// service) published on a crm.<service>.events topic during the run is checked against its
// committed JSON schema (libs/contracts/schemas/<Type>.v<version>.json). A payload that drifted
// from its contract fails the run, naming the topic, type and first problems.
const fs = require('node:fs');
const path = require('node:path');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
// The transport's fix of kafkajs's negative request-queue timer (TimeoutNegativeWarning), here too.
require('../../../../scripts/ts-register.cjs');
require('../../../eventing/src/transport/kafkajs-transport.ts');
const { Kafka, logLevel } = require('kafkajs');

const schemas = path.resolve(__dirname, '../../../contracts/schemas');
const EVENT_TOPIC = /(^|\.)crm\.(customers|credit|receivables|engagement)\.events$/;

async function eventTopics(admin) {
  return (await admin.listTopics()).filter((t) => EVENT_TOPIC.test(t)).sort();
}

function validators() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const byFile = new Map();
  return (type, version) => {
    const file = path.join(schemas, `${type}.v${version}.json`);
    if (!byFile.has(file)) byFile.set(file, fs.existsSync(file) ? ajv.compile(JSON.parse(fs.readFileSync(file, 'utf8'))) : null);
    return byFile.get(file);
  };
}

/** Reads every message of the topics and returns the payloads that do not match their schema. */
async function invalidPayloads(brokers, topics) {
  if (topics.length === 0) return { checked: 0, problems: [] };
  const kafka = new Kafka({ clientId: 'published-payloads', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  let expected = 0;
  for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) expected += Number(p.high) - Number(p.low);
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: `published-payloads-${process.pid}-${Date.now()}` });
  const validatorOf = validators();
  const problems = [];
  let seen = 0;
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`read ${seen} of ${expected} published messages in 120 s`)), 120_000);
    const done = () => { clearTimeout(deadline); resolve(); };
    if (expected === 0) return done();
    consumer.run({
      eachMessage: async ({ topic, message }) => {
        seen++;
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString()]));
        const type = (headers.ce_type ?? '').split('.').pop();
        const version = headers.ce_schemaversion ?? '1';
        const validate = validatorOf(type, version);
        if (validate === null) problems.push(`${topic}: ${type} v${version} has no committed schema`);
        else if (!validate(JSON.parse(message.value.toString('utf8')))) {
          problems.push(`${topic}: ${type} v${version} ${headers.ce_id}: ${validate.errors.slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')}`);
        }
        if (seen >= expected) done();
      },
    }).catch(reject);
  });
  await consumer.disconnect();
  return { checked: seen, problems };
}

module.exports = { eventTopics, invalidPayloads };
