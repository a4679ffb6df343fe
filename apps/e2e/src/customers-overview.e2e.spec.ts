import { randomUUID } from 'node:crypto';
import { eventsTopic } from '@crm/contracts';
import { KafkajsTransport, RecordedEvent, toKafkaMessage } from '@crm/eventing';
import { freshDatabase, kafkaBrokers, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, tokenFor } from '@crm/testing';

/** Customer 360 from credit's and receivables' published events on Kafka: parts fill in with their freshness; as-of reads. */
describe('customers: the 360 overview (service as a process, real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let customers: RunningService;
  const prefix = `e2e-${randomUUID().slice(0, 8)}.`;
  const transport = new KafkajsTransport({ clientId: 'e2e-overview', brokers: kafkaBrokers(), quiet: true });

  beforeAll(async () => {
    db = await freshDatabase();
    await transport.ensureTopics([{ topic: eventsTopic('receivables', prefix), partitions: 1 }, { topic: eventsTopic('credit', prefix), partitions: 1 }]);
    customers = await startService('customers', {
      KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '1', AUTH_DEV_SECRET: TEST_AUTH_SECRET, DATABASE_URL: db.url,
    });
  }, 120_000);

  afterAll(async () => {
    await customers?.stop();
    await transport.close();
    await db?.drop();
  });

  const get = async (path: string) => {
    const r = await fetch(`${customers.url}${path}`, { headers: { authorization: `Bearer ${await tokenFor('account_manager')}` } });
    return { status: r.status, body: (await r.json()) as any };
  };
  let n = 0;
  const event = (source: string, type: string, customerId: string, data: object, at: string): RecordedEvent => ({
    id: randomUUID(), type, schemaVersion: 1, occurredAt: at, streamId: `${source}-${customerId}`, streamVersion: ++n, partitionKey: customerId,
    globalPosition: String(n), transactionId: '1', hash: '', metadata: { actor: { id: 'upstream', roles: ['admin'] }, correlationId: 'c', causationId: 'c' },
    data: { customerId, ...data },
  } as RecordedEvent);

  it('fills in as credit and receivables publish, each part with its freshness, and answers as of an instant', async () => {
    const id = (await (await fetch(`${customers.url}/v1/customers`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('sales')}` },
      body: JSON.stringify({ kind: 'company', legalName: 'Overview Ltd' }),
    })).json() as any).id;
    const empty = await get(`/v1/customers/${id}/overview`);
    expect(empty.body).toMatchObject({ profile: { customerId: id, kind: 'company' }, credit: { status: 'no-events', lastEventAt: null },
      receivables: { status: 'no-events', lastEventAt: null }, engagement: { status: 'no-events' } });
    expect((await get(`/v1/customers/${randomUUID()}/overview`)).status).toBe(404);
    expect((await get(`/v1/customers/${id}/overview?asOf=soon`)).status).toBe(400);

    const invoiceId = randomUUID();
    await transport.publish(eventsTopic('receivables', prefix), [
      event('receivables', 'InvoiceIssued', id, { invoiceId, number: 'INV-1', currency: 'CNY', issueDate: '2026-11-01', lines: [{ description: 'x', quantity: 1, unitPrice: 9000, amount: 9000 }],
        total: 9000, terms: { type: 'net', days: 30 }, installments: [{ dueDate: '2026-12-01', amount: 9000 }], earlyPaymentDiscount: null }, '2026-11-01T08:00:00.000Z'),
      event('receivables', 'DunningLevelRaised', id, { invoiceId, businessDate: '2026-12-20', level: 2, previousLevel: 1, daysOverdue: 19, action: 'call' }, '2026-12-20T08:00:00.000Z'),
    ].map((e) => toKafkaMessage(e, 'crm.receivables')));
    const partial = await pollUntil(async () => {
      const r = await get(`/v1/customers/${id}/overview`);
      return r.body.receivables.status === 'ok' && r.body.receivables.worstDunningLevel === 2 ? r.body : undefined;
    }, { what: 'receivables in the overview' });
    expect(partial.receivables).toMatchObject({ lastEventAt: '2026-12-20T08:00:00.000Z', open: [{ currency: 'CNY', amount: 9000 }], openInvoices: 1 });
    expect(partial.credit.status).toBe('no-events');

    await transport.publish(eventsTopic('credit', prefix), [
      toKafkaMessage(event('credit', 'CreditLimitApproved', id, { limit: 150_000, currency: 'CNY', approvedBy: 'cm', approvedOn: '2026-11-02' }, '2026-11-02T08:00:00.000Z'), 'crm.credit'),
    ]);
    const full = await pollUntil(async () => {
      const r = await get(`/v1/customers/${id}/overview`);
      return r.body.credit.status === 'ok' ? r.body : undefined;
    }, { what: 'credit in the overview' });
    expect(full.credit).toEqual({ status: 'ok', lastEventAt: '2026-11-02T08:00:00.000Z', grade: null, limit: { amount: 150_000, currency: 'CNY' }, onHold: false });

    await transport.publish(eventsTopic('receivables', prefix), [toKafkaMessage(event('receivables', 'PaymentReceived', id, { paymentId: randomUUID(), amount: 4000, currency: 'CNY',
      receivedOn: '2026-11-10', method: 'bank', reference: 'r', allocations: [{ invoiceId, amount: 4000, discount: 0, kind: 'payment' }], unapplied: 0 }, '2026-11-10T08:00:00.000Z'), 'crm.receivables')]);
    const paid = await pollUntil(async () => {
      const r = (await get(`/v1/customers/${id}/overview?asOf=2026-12-31T00:00:00Z`)).body;
      return r.classification.clv?.amount > 0 && r.receivables.open[0]?.amount === 5000 ? r : undefined;
    }, { what: 'CLV in the overview' });
    // Paid to date 4000 + trailing-12-month paid 4000 × 0.8 base retention (default policy).
    expect(paid.classification.clv).toMatchObject({ amount: 7200, currency: 'CNY', policyVersion: 0 });
    expect(paid.receivables.open).toEqual([{ currency: 'CNY', amount: 5000 }]);

    const before = (await get(`/v1/customers/${id}/overview?asOf=2026-11-01T12:00:00Z`)).body;
    expect(before).toMatchObject({ asOf: '2026-11-01T12:00:00.000Z', credit: { status: 'no-events' }, receivables: { worstDunningLevel: 0, openInvoices: 1 } });

    const docs = async () => (await db.pool.query('SELECT id, doc FROM customer_overview ORDER BY id')).rows;
    const live = await docs();
    const admin = { authorization: `Bearer ${await tokenFor('admin')}` };
    expect((await fetch(`${customers.url}/v1/admin/projections/customer-overview/rebuild`, { method: 'POST', headers: admin })).status).toBe(202);
    await pollUntil(async () => ((await (await fetch(`${customers.url}/v1/admin/projections/customer-overview/rebuild`, { headers: admin })).json()) as any).status === 'completed' || undefined,
      { what: 'the rebuild', timeoutMs: 30_000 });
    expect(await docs()).toEqual(live);
  });
});
