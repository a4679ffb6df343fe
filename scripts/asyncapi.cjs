// Writes docs/api/asyncapi.json: an AsyncAPI 3.0 catalogue of every topic and event, generated
// from libs/contracts (payload schemas with their personal-data marks, the message key, the
// CloudEvents headers). `--check` fails when the committed document is stale.
require('./ts-register.cjs');
const fs = require('node:fs');
const path = require('node:path');
const { contractsByService, platformContracts, eventsTopic, deadLetterTopic, schemaFileName } = require('../libs/contracts/src/index.ts');
const { root, serviceNames } = require('./workspace.cjs');

const header = (description, extra = {}) => ({ type: 'string', description, ...extra });
// CloudEvents 1.0 Kafka binding, binary mode (libs/eventing/src/transport/cloud-event-mapping.ts).
const cloudEventHeaders = {
  type: 'object',
  required: ['ce_specversion', 'ce_id', 'ce_type', 'ce_dataschema', 'ce_source', 'ce_subject', 'ce_time', 'ce_schemaversion', 'ce_streamid', 'ce_streamversion',
    'ce_actor', 'ce_correlationid', 'ce_causationid', 'content-type'],
  properties: {
    ce_specversion: header('CloudEvents version', { const: '1.0' }),
    ce_id: header('Event id (unique; consumers deduplicate on it)', { format: 'uuid' }),
    ce_type: header('Event type, namespaced: <CLOUD_EVENTS_TYPE_PREFIX>.crm.<service>.<Type> (consumers read the last part, so bare types of older messages read the same)'),
    ce_dataschema: header('The payload\'s committed JSON schema: urn:crm:schema:<Type>.v<version> = libs/contracts/schemas/<Type>.v<version>.json', { format: 'uri' }),
    ce_source: header('Publishing service, crm.<service>'),
    ce_subject: header('The customer the event is about (also the message key)'),
    ce_time: header('Business time of the event', { format: 'date-time' }),
    ce_recordedat: header('When the publishing service recorded it', { format: 'date-time' }),
    ce_schemaversion: header('Version of the payload schema (upcast on read to the current one)'),
    ce_streamid: header('Stream in the publishing service\'s event store'),
    ce_streamversion: header('Position of the event in its stream'),
    ce_actor: header('Who caused it (user id, or policy:<name> for automatic decisions)'),
    ce_actorroles: header('The actor\'s roles, comma-separated'),
    ce_correlationid: header('Correlation id of the request or event chain'),
    ce_causationid: header('Id of the command or event that caused it'),
    ce_traceparent: header('W3C trace context'),
    ce_command: header('The command that recorded it'),
    ce_logposition: header('Where the event is in the publishing service\'s log, <transaction id>.<global position>: ascending on each partition except where the relay repeats events it published before a crash; a rebuild drops such repeats by it (ADR 31)', { pattern: '^[0-9]+\\.[0-9]+$' }),
    'content-type': header('Payload media type', { const: 'application/json' }),
  },
};
const kafkaKey = { bindings: { kafka: { key: { type: 'string', description: 'The customer id: one customer\'s events stay in order on one partition' }, bindingVersion: '0.5.0' } } };

function catalogue() {
  const channels = {};
  const operations = {};
  const messages = {};
  for (const service of serviceNames) {
    const channelMessages = {};
    for (const contract of contractsByService[service]) {
      const name = `${contract.type}.v${contract.version}`;
      messages[name] = {
        name: contract.type,
        title: `${contract.type} v${contract.version}`,
        summary: `Published by ${platformContracts.includes(contract) ? 'every service, each on its own topic' : service}; schema libs/contracts/schemas/${schemaFileName(contract)}. Properties marked x-personal-data are sealed per customer (crypto-shredding).`,
        contentType: 'application/json',
        headers: cloudEventHeaders,
        payload: contract.schema,
        ...kafkaKey,
      };
      channelMessages[name] = { $ref: `#/components/messages/${name}` };
    }
    channels[`${service}Events`] = {
      address: eventsTopic(service),
      title: `${service} events`,
      description: `Every event ${service} records, in commit order per customer; kept forever (retention.ms=-1). Topic names take KAFKA_TOPIC_PREFIX in front.`,
      messages: channelMessages,
    };
    channels[`${service}DeadLetter`] = {
      address: deadLetterTopic(service),
      title: `${service} dead letters`,
      description: `Events ${service}'s consumers parked (a copy for alerting; the parked_events table replays), with the error in headers.`,
      messages: {},
    };
    operations[`publish${service[0].toUpperCase()}${service.slice(1)}Events`] = {
      action: 'send',
      channel: { $ref: `#/channels/${service}Events` },
      messages: Object.keys(channelMessages).map((name) => ({ $ref: `#/channels/${service}Events/messages/${name}` })),
    };
  }
  return {
    asyncapi: '3.0.0',
    info: { title: 'crm events', version: '1', description: 'The published events of customers, credit, receivables and engagement (generated from libs/contracts by scripts/asyncapi.cjs).' },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages },
  };
}

const target = path.join(root, 'docs/api/asyncapi.json');
const text = `${JSON.stringify(catalogue(), null, 2)}\n`;
if (process.argv.includes('--check')) {
  if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== text) {
    process.stderr.write('docs/api/asyncapi.json is stale — run node scripts/asyncapi.cjs\n');
    process.exit(1);
  }
} else {
  fs.writeFileSync(target, text);
  process.stdout.write('wrote docs/api/asyncapi.json\n');
}
