import { randomUUID } from 'node:crypto';
import { eventsTopic } from '@crm/contracts';
import { KafkajsTransport, RecordedEvent, toKafkaMessage } from '@crm/eventing';
import {
  freshDatabase, kafkaBrokers, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, tokenFor, testTopicPrefix,
} from '@crm/testing';

/** Credit's HTTP contract at its edges: cursors, bodies, unknown customers, blank or zero input, incoherent policy. */
describe('credit contract at the edges (process, real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let service: RunningService;
  let transport: KafkajsTransport;
  const prefix = testTopicPrefix('e2e');
  const [known, stranger] = [randomUUID(), randomUUID()];

  const registered = (customerId: string): RecordedEvent => ({
    id: randomUUID(), type: 'CustomerRegistered', schemaVersion: 1, data: { customerId, kind: 'company', legalName: `Co ${customerId.slice(0, 4)}`, tags: [] },
    occurredAt: '2026-01-01T00:00:00.000Z', streamId: `customer-${customerId}`, streamVersion: 1, partitionKey: customerId,
    globalPosition: '0', transactionId: '0', hash: '', metadata: { actor: { id: 'upstream', roles: ['admin'] }, correlationId: 'c', causationId: 'c' },
  });

  beforeAll(async () => {
    db = await freshDatabase();
    transport = new KafkajsTransport({ brokers: kafkaBrokers(), clientId: 'credit-contract-e2e', quiet: true });
    const customers = eventsTopic('customers', prefix);
    await transport.ensureTopics([{ topic: customers, partitions: 3 }]);
    await transport.publish(customers, [toKafkaMessage(registered(known), 'crm.customers')]);
    service = await startService('credit', { DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_TOPIC_PARTITIONS: '3', AUTH_DEV_SECRET: TEST_AUTH_SECRET, BUSINESS_TIME_ZONE: 'UTC' });
    await pollUntil(async () => (await db.pool.query('SELECT count(*)::int AS n FROM known_customers')).rows[0].n === 1, { what: 'customer known to credit' });
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await transport?.close();
    await db?.drop();
  });

  async function call(method: string, path: string, body?: unknown, role = 'credit_manager', raw?: string) {
    const response = await fetch(`${service.url}${path}`, {
      method, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(role)}` },
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }
  const events = async (type?: string) => Number((await db.pool.query(
    `SELECT count(*) FROM events WHERE $1::text IS NULL OR event_type = $1`, [type ?? null])).rows[0].count);
  const fieldsOf = (r: { body: any }) => r.body?.errors?.map((e: any) => e.field);
  const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

  it('answers a made-up cursor with 400 naming only the cursor, never a 500', async () => {
    for (const key of [['zzz'], ['1.5'], ['99999999999'], ['-1'], ['\u0000'], [1], ['1', '2']]) {
      const r = await call('GET', `/v1/credit/customers/${known}/decisions?cursor=${cursor(key)}`, undefined, 'auditor');
      expect([JSON.stringify(key), r.status, r.body.type, fieldsOf(r)]).toEqual([JSON.stringify(key), 400, expect.stringMatching(/validation$/), ['cursor']]);
    }
    for (const key of [['\u0000'], ['zzz'], [5]]) {
      const r = await call('GET', `/v1/credit/watchlist?cursor=${cursor(key)}`, undefined, 'auditor');
      expect([JSON.stringify(key), r.status, fieldsOf(r)]).toEqual([JSON.stringify(key), 400, ['cursor']]);
    }
    expect((await call('GET', '/v1/credit/watchlist?cursor=WyJcdTAwMDAiXQ', undefined, 'auditor')).status).toBe(400);
    for (const key of [['\u0000', randomUUID()], ['2026-01-01T00:00:00.000Z', '\u0000'], ['not a time', randomUUID()]]) {
      const r = await call('GET', `/v1/credit/limit-requests?cursor=${cursor(key)}`);
      expect([JSON.stringify(key), r.status, fieldsOf(r)]).toEqual([JSON.stringify(key), 400, ['cursor']]);
    }
    const ok = await call('GET', `/v1/credit/watchlist?cursor=${cursor([randomUUID()])}`, undefined, 'auditor');
    expect(ok.status).toBe(200);
  });

  it('refuses any field in an assessment\'s body by name and appends nothing; an empty body or {} still assesses', async () => {
    const before = await events('CreditAssessed');
    const fields = await call('POST', `/v1/credit/customers/${known}/assessments`, { score: 100, grade: 'A' });
    expect([fields.status, fields.body.type, fieldsOf(fields)]).toEqual([400, expect.stringMatching(/validation$/), ['score', 'grade']]);
    const array = await call('POST', `/v1/credit/customers/${known}/assessments`, [1]);
    expect(array.status).toBe(400);
    expect(fieldsOf(array)).toHaveLength(1);
    expect(await events('CreditAssessed')).toBe(before);
    expect((await call('POST', `/v1/credit/customers/${known}/assessments`)).status).toBe(201);
    expect((await call('POST', `/v1/credit/customers/${known}/assessments`, {})).status).toBe(201);
    expect(await events('CreditAssessed')).toBe(before + 2);
  });

  it('answers 404 for the hold and decisions of a customer credit has never heard of, 200 for a known one with nothing yet', async () => {
    for (const path of ['hold', 'decisions']) {
      const r = await call('GET', `/v1/credit/customers/${stranger}/${path}`, undefined, 'auditor');
      expect([path, r.status, r.body.type]).toEqual([path, 404, expect.stringMatching(/customer-not-found$/)]);
    }
    const other = randomUUID();
    await transport.publish(eventsTopic('customers', prefix), [toKafkaMessage(registered(other), 'crm.customers')]);
    await pollUntil(async () => (await db.pool.query('SELECT 1 FROM known_customers WHERE id = $1', [other])).rowCount === 1, { what: 'second customer known' });
    expect((await call('GET', `/v1/credit/customers/${other}/hold`, undefined, 'auditor')).body).toMatchObject({ onHold: false, version: 0 });
    expect((await call('GET', `/v1/credit/customers/${other}/decisions`, undefined, 'auditor')).body).toMatchObject({ items: [] });
  });

  it('refuses a blank reason and a zero amount on limit requests, and incoherent policies, naming the field', async () => {
    const before = await events();
    const base = { customerId: known, amount: 1_000, currency: 'CNY', paymentTermsDays: 30, reason: 'x' };
    for (const [patch, field] of [[{ reason: '   ' }, 'reason'], [{ amount: 0 }, 'amount']] as const) {
      const r = await call('POST', '/v1/credit/limit-requests', { ...base, ...patch }, 'sales');
      expect([JSON.stringify(patch), r.status, fieldsOf(r)]).toEqual([JSON.stringify(patch), 400, [field]]);
    }
    const hold = await call('POST', `/v1/credit/customers/${known}/holds`, { reason: ' \t ' });
    expect([hold.status, fieldsOf(hold)]).toEqual([400, ['reason']]);
    const terms = await call('PUT', '/v1/credit/policy', { maxPaymentTermsDays: { A: 10, B: 45 } }, 'admin');
    expect([terms.status, fieldsOf(terms)]).toEqual([400, ['maxPaymentTermsDays']]);
    const dunning = await call('PUT', '/v1/credit/policy', { holdRules: { dunningLevel: 99 } }, 'admin');
    expect([dunning.status, fieldsOf(dunning)]).toEqual([400, ['holdRules.dunningLevel']]);
    expect(await events()).toBe(before);
  });

  it('shows a request\'s approvals as [{ by, on }] on its own page as in the list', async () => {
    const assessed = await call('POST', `/v1/credit/customers/${known}/financials`,
      { annualRevenue: 20_000_000_000, debtRatio: 0.4, currentRatio: 2.5, yearsInBusiness: 12, asOf: '2025-12-31' });
    expect(assessed.status).toBe(201);
    expect((await call('POST', `/v1/credit/customers/${known}/assessments`)).status).toBe(201);
    const requested = await call('POST', '/v1/credit/limit-requests', { customerId: known, amount: 200_000_000, currency: 'CNY', paymentTermsDays: 30, reason: 'big' }, 'sales');
    expect(requested.status).toBe(201);
    const first = await call('POST', `/v1/credit/limit-requests/${requested.body.id}/approve`);
    expect(first.body.status).toBe('awaiting-second-approval');
    const one = await call('GET', `/v1/credit/limit-requests/${requested.body.id}`);
    expect(one.body.approvals).toEqual([{ by: expect.any(String), on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }]);
    const listed = await pollUntil(async () => {
      const list = await call('GET', `/v1/credit/limit-requests?customerId=${known}`);
      return list.body.items.find((i: any) => i.id === requested.body.id && i.approvals.length === 1);
    }, { what: 'the request in the list' });
    expect(listed.approvals).toEqual(one.body.approvals);
  });

  it('keeps the threshold of a request\'s first approval when a later policy raises it, and says so', async () => {
    const lowered = await call('PUT', '/v1/credit/policy', { secondApproverThreshold: 50_000 }, 'admin');
    expect(lowered.status).toBe(200);
    const requested = await call('POST', '/v1/credit/limit-requests', { customerId: known, amount: 60_000, currency: 'CNY', paymentTermsDays: 30, reason: 'pilot' }, 'sales');
    const first = await call('POST', `/v1/credit/limit-requests/${requested.body.id}/approve`);
    expect([first.body.status, first.body.policyVersion]).toEqual(['awaiting-second-approval', lowered.body.version]);
    const raised = await call('PUT', '/v1/credit/policy', { secondApproverThreshold: 100_000_000 }, 'admin');
    expect(raised.body.version).toBe(lowered.body.version + 1);
    const again = await call('POST', `/v1/credit/limit-requests/${requested.body.id}/approve`);
    expect([again.status, again.body.type, again.body.policyVersion, again.body.secondApproverThreshold])
      .toEqual([403, expect.stringMatching(/separation-of-duties$/), lowered.body.version, 50_000]);
    expect(again.body.detail).toMatch(new RegExp(`policy version ${lowered.body.version}.*threshold of 50000`));
    const response = await fetch(`${service.url}/v1/credit/limit-requests/${requested.body.id}/approve`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('credit_manager', 'cm-second')}` } });
    const second: any = await response.json();
    expect([response.status, second.status, second.policyVersion]).toEqual([200, 'approved', raised.body.version]);
  });
});
