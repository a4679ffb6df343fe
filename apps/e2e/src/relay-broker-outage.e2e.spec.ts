import { eventsTopic } from '@crm/contracts';
import { IncomingMessage, KafkajsTransport } from '@crm/eventing';
import {
  freshDatabase, OwnKafkaBroker, ownKafkaBroker, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, tokenFor, testTopicPrefix,
} from '@crm/testing';

/**
 * The relay's first publish falls in a Kafka outage: customers runs as a process against a
 * broker that goes down after the service started and before anything was published. The
 * write is accepted (it lands in the outbox), the relay reports itself stalled while the broker
 * is away, and once the broker is back the event reaches the topic within seconds. Before the
 * fix the transport kept the failed `producer.connect()` promise and failed every cycle after.
 */
describe('relay through a Kafka outage at its first publish (customers as a process, a broker of its own)', () => {
  // A broker of this spec's own: it is stopped and started, so it must not be the shared one.
  let broker: OwnKafkaBroker;
  let db: TestDatabase;
  let customers: RunningService | undefined;
  let reader: KafkajsTransport | undefined;
  const prefix = testTopicPrefix('outage');
  const topic = eventsTopic('customers', prefix);

  beforeAll(async () => {
    broker = await ownKafkaBroker();
    [db] = await Promise.all([freshDatabase(), broker.start()]);
  }, 120_000);

  afterAll(async () => {
    await reader?.close();
    await customers?.stop();
    await broker?.remove();
    await db?.drop();
  }, 60_000);

  const relayHealth = async () => {
    const response = await fetch(`${customers!.url}/health/relay`);
    return { status: response.status, body: (await response.json()) as any };
  };
  const stalledMetric = async () => {
    const text = await (await fetch(`${customers!.url}/metrics`, { headers: { authorization: `Bearer ${await tokenFor('admin')}` } })).text();
    return new RegExp(`^crm_relay_stalled\\{topic="${topic.replaceAll('.', '\\.')}"\\} (\\d)$`, 'm').exec(text)?.[1];
  };

  it('publishes the event written during the outage once the broker is back, and reports the relay stalled meanwhile', async () => {
    customers = await startService('customers', {
      DATABASE_URL: db.url, KAFKA_BROKERS: broker.brokers, KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '3',
      AUTH_DEV_SECRET: TEST_AUTH_SECRET, RELAY_STALL_SECONDS: '3',
    });
    expect((await relayHealth()).status).toBe(200);
    expect(await stalledMetric()).toBe('0');

    await broker.stop();
    const response = await fetch(`${customers.url}/v1/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('sales')}` },
      body: JSON.stringify({ kind: 'company', legalName: 'Ningbo Harbour Freight Ltd.' }),
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };

    // Stalled after RELAY_STALL_SECONDS, on its own endpoint and as a metric; readiness stays
    // up: the service still takes writes (they wait in the outbox).
    const stalled = await pollUntil(async () => {
      const health = await relayHealth();
      return health.status === 503 ? health.body : undefined;
    }, { what: '/health/relay to report the stall', timeoutMs: 20_000, intervalMs: 250 });
    expect(stalled).toMatchObject({ status: 'stalled', relay: { state: 'stalled', stalled: true, stallAfterSeconds: 3 } });
    expect(await stalledMetric()).toBe('1');
    expect((await fetch(`${customers.url}/health/ready`)).status).toBe(200);

    // The bug needs the first connection attempt to have failed for good (kafkajs retries it
    // for ~25 s) before the broker returns: wait for the relay to say so.
    await pollUntil(async () => customers!.output().includes('relay cycle failed; retrying'),
      { what: 'the relay\'s first publish to fail', timeoutMs: 90_000, intervalMs: 500 });
    expect(customers.output()).toMatch(/relay stalled: nothing published/);

    await broker.start();
    const backAt = Date.now();
    reader = new KafkajsTransport({ brokers: [broker.brokers], clientId: 'outage-reader', quiet: true });
    await pollUntil(async () => (await reader!.endOffsets(topic)).some((p) => Number(p.offset) > 0),
      { what: 'the event on the topic', timeoutMs: 20_000, intervalMs: 250 });
    const secondsToPublish = (Date.now() - backAt) / 1000;
    expect(secondsToPublish).toBeLessThan(20);

    const received: IncomingMessage[] = [];
    const subscription = await reader.subscribe({
      groupId: `${prefix}reader`, topics: [topic], fromBeginning: true,
      eachBatch: async (batch, control) => {
        for (const message of batch.messages) { received.push(message); control.resolveOffset(message.offset); }
      },
    });
    await pollUntil(async () => received.length > 0, { what: 'the event to be read back', timeoutMs: 30_000 });
    await subscription.stop();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ key: id, headers: expect.objectContaining({ ce_type: 'com.example.crm.customers.CustomerRegistered', ce_dataschema: 'urn:crm:schema:CustomerRegistered.v1', ce_subject: id }) });

    // Publishing again: no longer stalled.
    await pollUntil(async () => (await relayHealth()).status === 200, { what: 'the relay to recover', timeoutMs: 10_000 });
    expect(await stalledMetric()).toBe('0');
    expect(customers.output()).toMatch(/relay recovered: publishing again/);
    // Node 24 and kafkajs: the request queue's timer is fixed at the cause (no warning flag here).
    expect(customers.output()).not.toMatch(/TimeoutNegativeWarning/);
  }, 240_000);
});
