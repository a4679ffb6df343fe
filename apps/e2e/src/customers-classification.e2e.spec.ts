import { randomUUID } from 'node:crypto';
import { eventsTopic } from '@crm/contracts';
import { KafkajsTransport, RecordedEvent, toKafkaMessage } from '@crm/eventing';
import { callApi, freshDatabase, kafkaBrokers, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, testTopicPrefix } from '@crm/testing';

/**
 * Classification from real receivables events on Kafka: the revenue read model fills in,
 * the platform day close ranks every customer once (ABC, lifecycle, RFM, CLV) and records only
 * the changes as CustomerAbcClassChanged / CustomerLifecycleStageChanged / CustomerValueScored;
 * a second close of the date records nothing; engagement's ChurnRiskFlagged / Cleared (real
 * events of its contract on its topic) make the next close's stage at_risk and back; the
 * revenue, churn-risk and directory read models rebuild equal to live.
 */
describe('customers: classification on day close from receivables\' events (service as a process, real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let customers: RunningService;
  const prefix = testTopicPrefix('e2e');
  const transport = new KafkajsTransport({ clientId: 'e2e-classification', brokers: kafkaBrokers(), quiet: true });

  beforeAll(async () => {
    db = await freshDatabase();
    await transport.ensureTopics([{ topic: eventsTopic('receivables', prefix), partitions: 2 }, { topic: eventsTopic('engagement', prefix), partitions: 2 }]);
    customers = await startService('customers', {
      KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '2', AUTH_DEV_SECRET: TEST_AUTH_SECRET, DATABASE_URL: db.url,
    });
  }, 120_000);

  afterAll(async () => {
    await customers?.stop();
    await transport.close();
    await db?.drop();
  });

  const call = (method: string, path: string, body?: unknown, role = 'account_manager') => callApi(customers.url, method, path, { body, role });
  let n = 0;
  const invoice = (customerId: string, total: number, issueDate: string, currency = 'CNY'): RecordedEvent => ({
    id: randomUUID(), type: 'InvoiceIssued', schemaVersion: 1, occurredAt: `${issueDate}T09:00:00.000Z`, streamId: `receivables-account-${customerId}`,
    streamVersion: ++n, partitionKey: customerId, globalPosition: String(n), transactionId: '1', hash: '',
    metadata: { actor: { id: 'upstream', roles: ['admin'] }, correlationId: 'c', causationId: 'c' },
    data: { invoiceId: randomUUID(), number: `INV-${n}`, customerId, currency, issueDate, lines: [{ description: 'tea', quantity: 1, unitPrice: total, amount: total }],
      total, terms: { type: 'net', days: 30 }, installments: [{ dueDate: '2026-12-30', amount: total }], earlyPaymentDiscount: null },
  } as RecordedEvent);
  const payment = (customerId: string, amount: number, receivedOn: string): RecordedEvent => ({
    id: randomUUID(), type: 'PaymentReceived', schemaVersion: 1, occurredAt: `${receivedOn}T10:00:00.000Z`, streamId: `receivables-account-${customerId}`,
    streamVersion: ++n, partitionKey: customerId, globalPosition: String(n), transactionId: '1', hash: '',
    metadata: { actor: { id: 'upstream', roles: ['admin'] }, correlationId: 'c', causationId: 'c' },
    data: { paymentId: randomUUID(), customerId, amount, currency: 'CNY', receivedOn, method: 'bank', reference: `R-${n}`, allocations: [], unapplied: amount },
  } as RecordedEvent);
  const churn = (type: 'ChurnRiskFlagged' | 'ChurnRiskCleared', customerId: string, score: number, on: string): RecordedEvent => ({
    id: randomUUID(), type, schemaVersion: 1, occurredAt: `${on}T23:00:00.000Z`, streamId: `churn-${customerId}`,
    streamVersion: ++n, partitionKey: customerId, globalPosition: String(n), transactionId: '1', hash: '',
    metadata: { actor: { id: 'engagement-day-close', roles: ['system'] }, correlationId: 'c', causationId: 'c' },
    data: { customerId, score, signals: [{ code: 'spend-drop', points: score, detail: 'spend fell' }], on, causedBy: null, policyVersion: 1,
      ...(type === 'ChurnRiskFlagged' ? { accountManager: null } : {}) },
  } as RecordedEvent);
  const classEvents = async () => (await db.pool.query(
    `SELECT partition_key AS id, event_type, data FROM events WHERE event_type IN ('CustomerAbcClassChanged', 'CustomerLifecycleStageChanged') ORDER BY global_position`)).rows;

  it('ranks all customers on day close from the revenue read model, recording only changes, with their inputs', async () => {
    const register = async (legalName: string) => (await call('POST', '/v1/customers', { kind: 'company', legalName }, 'sales')).body.id as string;
    const [a, b, c, d] = [await register('Alpha Tea'), await register('Beta Silk'), await register('Gamma Jade'), await register('Delta Prospect')];
    // A care date on the close's date: found by the blind index of the birthday's month and day.
    const careContact = (await call('POST', `/v1/customers/${b}/contacts`, { name: 'Ma Lin', email: 'ma.lin@example.cn', birthday: '1979-11-30' })).body.contactId;
    await call('POST', `/v1/customers/${b}/contacts`, { name: 'Other Day', birthday: '1979-11-29' });
    await call('PUT', `/v1/customers/${b}/consent`, { email: true, sms: false, phone: false, wechat: true, source: 'web form' });
    await transport.publish(eventsTopic('receivables', prefix), [
      invoice(a, 500, '2026-06-01'), invoice(a, 300, '2026-10-01'), invoice(b, 150, '2026-11-01'), invoice(c, 50, '2026-11-15'),
      invoice(c, 999_999, '2025-01-01'), // outside the trailing 12 months: does not count for ABC
      payment(a, 400, '2026-11-20'),
    ].map((e) => toKafkaMessage(e, 'crm.receivables')));
    await pollUntil(async () => Number((await db.pool.query('SELECT count(*) FROM customer_revenue')).rows[0].count) === 3 || undefined, { what: 'the revenue read model' });
    await pollUntil(async () => (await call('GET', '/v1/customers?limit=10')).body.items.length === 4 || undefined, { what: 'the directory' });

    const close = await call('POST', '/v1/operations/close-day', { businessDate: '2026-11-30' });
    expect([close.status, close.body.status]).toEqual([200, 'completed']);
    expect(close.body.recorded).toEqual({ CustomerAbcClassChanged: 4, CustomerLifecycleStageChanged: 4, CustomerValueScored: 4, ContactCareDateDue: 1 });
    const { rows: care } = await db.pool.query(`SELECT data, data::text AS text FROM events WHERE event_type = 'ContactCareDateDue'`);
    expect(care.map((r) => r.data)).toEqual([{ customerId: b, contactId: careContact, occasion: 'birthday', on: '2026-11-30', channels: ['email', 'wechat'] }]);
    expect(care[0].text).not.toMatch(/Ma Lin|ma\.lin|1979/);
    expect(JSON.stringify((await db.pool.query('SELECT doc FROM customers_directory')).rows)).not.toMatch(/1979|11-30|ma\.lin/);
    const recorded = await classEvents();
    const classOf = (id: string) => recorded.find((e) => e.id === id && e.event_type === 'CustomerAbcClassChanged')!.data;
    const stageOf = (id: string) => recorded.find((e) => e.id === id && e.event_type === 'CustomerLifecycleStageChanged')!.data.stage;
    // 800 of 1000 is exactly 80 %: a is the last A; b brings the cover to 95 %: the last B.
    expect([a, b, c, d].map((id) => classOf(id).abcClass)).toEqual(['A', 'B', 'C', 'C']);
    expect(classOf(b)).toMatchObject({ previousClass: null, businessDate: '2026-11-30', inputs: { trailingRevenue: 150, totalRevenue: 1000, coveredBefore: 800, reportingCurrency: 'CNY' } });
    expect([a, b, c, d].map(stageOf)).toEqual(['repeat', 'new', 'repeat', 'prospect']);
    expect((await call('GET', `/v1/customers/${a}`)).body).toMatchObject({ abcClass: 'A', stage: 'repeat' });
    // RFM over 4 customers (score = 1 + ⌊5 · strictly worse / 4⌋, so 4 is the best here); b and c tie on frequency and share 2.
    // Recency: a paid 10 days ago, c invoiced 15, b 29, d never. CLV: a's 400 paid + 400 × 0.8.
    const valueOf = async (id: string) => (await db.pool.query(
      `SELECT data FROM events WHERE event_type = 'CustomerValueScored' AND partition_key = $1 ORDER BY global_position DESC LIMIT 1`, [id])).rows[0].data;
    expect(await Promise.all([a, b, c, d].map(async (id) => (await call('GET', `/v1/customers/${id}`)).body.rfm))).toEqual([
      { r: 4, f: 4, m: 4 }, { r: 2, f: 2, m: 3 }, { r: 3, f: 2, m: 2 }, { r: 1, f: 1, m: 1 },
    ]);
    expect((await call('GET', `/v1/customers/${a}`)).body).toMatchObject({ clv: { amount: 720, currency: 'CNY' }, classifiedOn: '2026-11-30' });
    expect(await valueOf(b)).toMatchObject({ previous: { rfm: null, clv: null }, inputs: {
      recencyDays: 29, lastActivityOn: '2026-11-01', frequency: 1, monetary: 150, customersRanked: 4, strictlyWorse: { r: 1, f: 1, m: 2 }, churnRiskOpen: false, policyVersion: 0 } });

    const segments = await pollUntil(async () => {
      const r = (await call('GET', '/v1/segments/abc?asOf=2026-11-30')).body;
      return r.segments[0].customers === 1 ? r : undefined;
    }, { what: 'segments' });
    expect(segments.segments).toEqual([
      { abcClass: 'A', customers: 1, revenue: 800, revenueShare: 0.8 }, { abcClass: 'B', customers: 1, revenue: 150, revenueShare: 0.15 },
      { abcClass: 'C', customers: 2, revenue: 50, revenueShare: 0.05 }, { abcClass: 'unclassified', customers: 0, revenue: 0, revenueShare: 0 },
    ]);
    expect((await call('GET', '/v1/segments/abc?asOf=yesterday')).status).toBe(400);

    const again = await call('POST', '/v1/operations/close-day', { businessDate: '2026-11-30' });
    expect(again.body).toMatchObject({ alreadyClosed: true, recorded: {} });
    await pollUntil(async () => (await call('GET', '/v1/customers?abcClass=A')).body.items.length === 1 || undefined, { what: 'classes in the directory' });

    // Engagement flags a's churn risk: the next close makes a at_risk (CLV at the at-risk retention), the clear brings it back.
    await transport.publish(eventsTopic('engagement', prefix), [toKafkaMessage(churn('ChurnRiskFlagged', a, 70, '2026-11-30'), 'crm.engagement')]);
    await pollUntil(async () => (await db.pool.query('SELECT 1 FROM customer_churn_risk WHERE id = $1 AND open', [a])).rowCount === 1 || undefined, { what: 'the churn flag' });
    expect((await call('POST', '/v1/operations/close-day', { businessDate: '2026-12-01' })).body.status).toBe('completed');
    expect((await call('GET', `/v1/customers/${a}`)).body).toMatchObject({ stage: 'at_risk', clv: { amount: 520, currency: 'CNY' } });
    expect((await classEvents()).filter((e) => e.id === a && e.event_type === 'CustomerLifecycleStageChanged').pop()!.data)
      .toMatchObject({ stage: 'at_risk', previousStage: 'repeat', businessDate: '2026-12-01', inputs: { churnRiskOpen: true } });
    expect(await valueOf(a)).toMatchObject({ clv: { amount: 520 }, previous: { clv: { amount: 720 } }, inputs: { churnRiskOpen: true, retention: 0.3 } });
    // The close compares with the directory, which follows the events: a day later it shows the stage.
    await pollUntil(async () => (await call('GET', '/v1/customers?stage=at_risk')).body.items.length === 1 || undefined, { what: 'at_risk in the directory' });
    await transport.publish(eventsTopic('engagement', prefix), [toKafkaMessage(churn('ChurnRiskCleared', a, 20, '2026-12-01'), 'crm.engagement')]);
    await pollUntil(async () => (await db.pool.query('SELECT 1 FROM customer_churn_risk WHERE id = $1 AND NOT open', [a])).rowCount === 1 || undefined, { what: 'the clear' });
    expect((await call('POST', '/v1/operations/close-day', { businessDate: '2026-12-02' })).body.status).toBe('completed');
    expect((await call('GET', `/v1/customers/${a}`)).body).toMatchObject({ stage: 'repeat', clv: { amount: 720 } });

    // A year without an invoice: c's old and new invoices leave the window, b's too; d stays a prospect.
    const later = await call('POST', '/v1/operations/close-day', { businessDate: '2027-11-16' });
    expect(later.body.status).toBe('completed');
    expect((await call('GET', `/v1/customers/${c}`)).body).toMatchObject({ abcClass: 'C', stage: 'churned' });
    expect((await call('GET', `/v1/customers/${d}`)).body).toMatchObject({ abcClass: 'C', stage: 'prospect' });
    expect((await classEvents()).filter((e) => e.id === d)).toHaveLength(2);

    // The versioned policy: a USD invoice counts once there is a rate, and the class cites the version.
    expect((await call('GET', '/v1/customers/policy')).body).toMatchObject({ version: 0, reportingCurrency: 'CNY', rates: [] });
    expect((await call('PUT', '/v1/customers/policy', { reportingCurrency: 'usd', rates: [], retention: { base: 0.8, atRisk: 0.3 } })).status).toBe(400);
    expect((await call('PUT', '/v1/customers/policy', { reportingCurrency: 'CNY', rates: [{ currency: 'USD', rate: 7 }], retention: { base: 0.8, atRisk: 0.9 } })).body)
      .toMatchObject({ status: 400, type: expect.stringMatching(/retention-at-risk-above-base$/) });
    const put = await call('PUT', '/v1/customers/policy', { reportingCurrency: 'CNY', rates: [{ currency: 'USD', rate: 10 }], retention: { base: 0.8, atRisk: 0.3 } });
    expect(put.body).toEqual({ version: 1, changed: true });
    expect((await call('PUT', '/v1/customers/policy', { reportingCurrency: 'CNY', rates: [{ currency: 'USD', rate: 10 }], retention: { base: 0.8, atRisk: 0.3 } })).body)
      .toEqual({ version: 1, changed: false });
    await transport.publish(eventsTopic('receivables', prefix), [toKafkaMessage(invoice(d, 100, '2027-11-01', 'USD'), 'crm.receivables')]);
    await pollUntil(async () => Number((await db.pool.query('SELECT count(*) FROM customer_revenue')).rows[0].count) === 4 || undefined, { what: 'd\'s revenue' });
    expect((await call('POST', '/v1/operations/close-day', { businessDate: '2027-11-17' })).body.status).toBe('completed');
    const dClass = (await classEvents()).filter((e) => e.id === d && e.event_type === 'CustomerAbcClassChanged').pop()!.data;
    expect(dClass).toMatchObject({ abcClass: 'A', previousClass: 'C', inputs: { trailingRevenue: 1000, totalRevenue: 1000, policyVersion: 1 } });

    for (const [projection, table] of [['customer-revenue', 'customer_revenue'], ['customer-churn-risk', 'customer_churn_risk'], ['customers-directory', 'customers_directory']]) {
      const docs = async () => (await db.pool.query(`SELECT id, doc FROM ${table} ORDER BY id`)).rows;
      const live = await docs();
      expect((await call('POST', `/v1/admin/projections/${projection}/rebuild`, undefined, 'admin')).status).toBe(202);
      await pollUntil(async () => (await call('GET', `/v1/admin/projections/${projection}/rebuild`, undefined, 'admin')).body.status === 'completed' || undefined,
        { what: `the rebuild of ${projection}`, timeoutMs: 30_000 });
      expect(await docs()).toEqual(live);
    }
  });
});
