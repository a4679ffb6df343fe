import { randomUUID } from 'node:crypto';
import { eventsTopic } from '@crm/contracts';
import { KafkajsTransport, RecordedEvent, toKafkaMessage } from '@crm/eventing';
import { callApi, freshDatabase, kafkaBrokers, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, testTopicPrefix } from '@crm/testing';

/**
 * Engagement's copy of the customers, fed by the real customers service on Kafka: class (from
 * customers' day close), consent, account manager, region and archiving — what complaints' SLA
 * clocks, the contact plan, care channels and satisfaction segments read. It rebuilds equal to
 * live, and engagement's day close (made of its features' parts) completes.
 */
describe('engagement: its customer directory from the real customers service (two services as processes, real PostgreSQL + Kafka)', () => {
  const dbs: Record<string, TestDatabase> = {};
  const services: Record<string, RunningService> = {};
  const prefix = testTopicPrefix('e2e');
  const transport = new KafkajsTransport({ clientId: 'e2e-engagement-directory', brokers: kafkaBrokers(), quiet: true });

  beforeAll(async () => {
    await transport.ensureTopics([{ topic: eventsTopic('receivables', prefix), partitions: 1 }]);
    await Promise.all((['customers', 'engagement'] as const).map(async (name) => {
      dbs[name] = await freshDatabase();
      services[name] = await startService(name, {
        KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '1',
        AUTH_DEV_SECRET: TEST_AUTH_SECRET, DATABASE_URL: dbs[name].url,
      });
    }));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(Object.values(services).map((s) => s.stop()));
    await transport.close();
    await Promise.all(Object.values(dbs).map((d) => d.drop()));
  });

  const call = (service: string, method: string, path: string, role: string, body?: unknown) => callApi(services[service].url, method, path, { body, role });
  const invoice = (customerId: string, total: number): RecordedEvent => ({
    id: randomUUID(), type: 'InvoiceIssued', schemaVersion: 1, occurredAt: '2026-11-02T09:00:00.000Z', streamId: `receivables-account-${customerId}`,
    streamVersion: 1, partitionKey: customerId, globalPosition: '1', transactionId: '1', hash: '',
    metadata: { actor: { id: 'upstream', roles: ['admin'] }, correlationId: 'c', causationId: 'c' },
    data: { invoiceId: randomUUID(), number: 'INV-1', customerId, currency: 'CNY', issueDate: '2026-11-02',
      lines: [{ description: 'tea', quantity: 1, unitPrice: total, amount: total }], total, terms: { type: 'net', days: 30 },
      installments: [{ dueDate: '2026-12-02', amount: total }], earlyPaymentDiscount: null },
  } as RecordedEvent);
  const entry = (id: string, until: (doc: any) => boolean) => pollUntil(async () => {
    const r = await call('engagement', 'GET', `/v1/customers/${id}`, 'account_manager');
    return r.status === 200 && until(r.body) ? r.body : undefined;
  }, { what: `engagement's entry of ${id}` });

  it('follows class, consent, manager, region and archiving, and rebuilds equal to live', async () => {
    const big = (await call('customers', 'POST', '/v1/customers', 'sales', { kind: 'company', legalName: 'Hangzhou Tea', region: 'East' })).body.id;
    const small = (await call('customers', 'POST', '/v1/customers', 'sales', { kind: 'company', legalName: 'Ningbo Silk', region: 'East' })).body.id;
    expect(await entry(big, () => true)).toMatchObject({ abcClass: null, consent: { email: false, sms: false, phone: false, wechat: false }, archived: false });

    expect((await call('customers', 'PATCH', `/v1/customers/${big}`, 'sales', { region: 'South' })).status).toBe(200);
    expect((await call('customers', 'PUT', `/v1/customers/${big}/consent`, 'account_manager',
      { email: true, sms: false, phone: false, wechat: true, source: 'signed contract' })).status).toBe(200);
    expect((await call('customers', 'PUT', `/v1/customers/${big}/account-manager`, 'account_manager', { accountManager: 'am-li' })).status).toBe(200);
    await transport.publish(eventsTopic('receivables', prefix), [invoice(big, 900_000), invoice(small, 10_000)].map((e) => toKafkaMessage(e, 'crm.receivables')));
    await pollUntil(async () => Number((await dbs.customers.pool.query('SELECT count(*) FROM customer_revenue')).rows[0].count) === 2 || undefined,
      { what: 'customers\' revenue' });
    expect((await call('customers', 'POST', '/v1/operations/close-day', 'account_manager', { businessDate: '2026-11-30' })).body.status).toBe('completed');
    expect((await call('customers', 'POST', `/v1/customers/${small}/archive`, 'account_manager', { reason: 'moved away' })).status).toBe(200);

    expect(await entry(big, (doc) => doc.abcClass !== null && doc.accountManager !== null)).toMatchObject({
      legalName: 'Hangzhou Tea', region: 'South', abcClass: 'A', accountManager: 'am-li', archived: false,
      consent: { email: true, sms: false, phone: false, wechat: true },
    });
    expect(await entry(small, (doc) => doc.archived)).toMatchObject({ abcClass: 'C', archived: true });

    // Every reader role reads engagement's answers, as it reads customers'.
    for (const role of ['collector', 'credit_manager', 'auditor']) expect((await call('engagement', 'GET', '/v1/complaints?limit=1', role)).status).toBe(200);
    expect((await call('engagement', 'GET', `/v1/loyalty/tiers/Member`, 'collector')).body.items.map((m: { customerId: string }) => m.customerId).sort())
      .toEqual([big, small].sort());
    const malformed = await call('engagement', 'GET', '/v1/customers/not-a-uuid', 'account_manager');
    expect([malformed.status, malformed.body.errors]).toEqual([400, [{ field: 'id', messages: ['id must be a UUID'] }]]);

    const rows = async () => (await dbs.engagement.pool.query('SELECT id, doc FROM customer_directory ORDER BY id')).rows;
    const live = await rows();
    expect((await call('engagement', 'POST', '/v1/admin/projections/customer-directory/rebuild', 'admin')).status).toBe(202);
    await pollUntil(async () => (await call('engagement', 'GET', '/v1/admin/projections/customer-directory/rebuild', 'admin')).body.status === 'completed' || undefined,
      { what: 'the rebuild', timeoutMs: 30_000 });
    expect(await rows()).toEqual(live);
  });

  it('closes a business day made of its features\' parts, once per date', async () => {
    const close = await call('engagement', 'POST', '/v1/operations/close-day', 'account_manager', { businessDate: '2026-11-30' });
    expect([close.status, close.body.status]).toEqual([200, 'completed']);
    expect((await call('engagement', 'POST', '/v1/operations/close-day', 'account_manager', { businessDate: '2026-11-30' })).body)
      .toMatchObject({ alreadyClosed: true });
    expect((await call('engagement', 'POST', '/v1/operations/close-day', 'account_manager', { businessDate: '30.11.2026' })).status).toBe(400);
  });
});
