import { randomUUID } from 'node:crypto';
import { eventsTopic } from '@crm/contracts';
import { KafkajsTransport, RecordedEvent, toKafkaMessage } from '@crm/eventing';
import {
  freshDatabase, kafkaBrokers, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, tokenFor, testTopicPrefix,
} from '@crm/testing';

/**
 * Receivables from outside: HTTP in, events on Kafka out. Customers' and credit's facts arrive
 * as real events of their published contracts on their topics, as in production.
 */
describe('receivables service (process, real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let service: RunningService;
  let transport: KafkajsTransport;
  const prefix = testTopicPrefix('e2e');
  const [alpha, beta, held, stranger] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];

  function contractEvent(type: string, customerId: string, data: Record<string, unknown>, source: string): RecordedEvent {
    return { id: randomUUID(), type, schemaVersion: 1, data, occurredAt: '2026-01-01T00:00:00.000Z', streamId: `${source}-${customerId}`,
      streamVersion: 1, partitionKey: customerId, globalPosition: '0', transactionId: '0', hash: '',
      metadata: { actor: { id: 'upstream', roles: ['admin'] }, correlationId: 'c', causationId: 'c' } };
  }

  beforeAll(async () => {
    db = await freshDatabase();
    transport = new KafkajsTransport({ brokers: kafkaBrokers(), clientId: 'receivables-e2e', quiet: true });
    const customers = eventsTopic('customers', prefix);
    const credit = eventsTopic('credit', prefix);
    await transport.ensureTopics([{ topic: customers, partitions: 3 }, { topic: credit, partitions: 3 }]);
    await transport.publish(customers, [alpha, beta, held].map((id) => toKafkaMessage(
      contractEvent('CustomerRegistered', id, { customerId: id, kind: 'company', legalName: `Co ${id.slice(0, 4)}`, tags: [] }, 'customer'), 'crm.customers')));
    await transport.publish(credit, [
      toKafkaMessage(contractEvent('CreditLimitApproved', beta, { customerId: beta, limit: 150_000, currency: 'CNY', approvedBy: 'cm', approvedOn: '2026-01-01' }, 'credit'), 'crm.credit'),
      toKafkaMessage(contractEvent('CreditHoldPlaced', held, { customerId: held, reason: 'dunning level 3', placedOn: '2026-01-01' }, 'credit'), 'crm.credit'),
    ]);
    service = await startService('receivables', { DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '3', AUTH_DEV_SECRET: TEST_AUTH_SECRET });
    await pollUntil(async () => {
      const { rows } = await db.pool.query(`SELECT (SELECT count(*) FROM known_customers)::int AS k, (SELECT count(*) FROM credit_positions)::int AS c`);
      return rows[0].k === 3 && rows[0].c === 2;
    }, { what: 'customer and credit events consumed' });
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await transport?.close();
    await db?.drop();
  });

  async function call(method: string, path: string, body?: unknown, role = 'credit_manager', headers: Record<string, string> = {}, subject?: string) {
    const response = await fetch(`${service.url}${path}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(role, subject)}`, ...headers },
    });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
  }
  const invoice = (customerId: string, total: number, issueDate: string, extra: Record<string, unknown> = {}) => ({
    customerId, currency: 'CNY', issueDate, lines: [{ description: 'Longjing tea', quantity: 1, unitPrice: total }], terms: { type: 'net', days: 30 }, ...extra,
  });
  const count = async (type: string) => Number((await db.pool.query('SELECT count(*) FROM events WHERE event_type = $1', [type])).rows[0].count);
  const ids: Record<string, string> = {};

  it('issues an invoice once per Idempotency-Key, with total and due date', async () => {
    const key = randomUUID();
    const first = await call('POST', '/v1/invoices', invoice(alpha, 100_000, '2026-01-01', { earlyPaymentDiscount: { percent: 2, withinDays: 10 } }), 'sales', { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ number: expect.stringMatching(/^INV-2026-\d{6}$/), total: 100_000, dueDates: ['2026-01-31'] });
    const retry = await call('POST', '/v1/invoices', invoice(alpha, 100_000, '2026-01-01', { earlyPaymentDiscount: { percent: 2, withinDays: 10 } }), 'sales', { 'Idempotency-Key': key });
    expect(retry.body).toEqual(first.body);
    expect(await count('InvoiceIssued')).toBe(1);
    ids.discounted = first.body.id;
  });

  it('refuses unknown customers, credit holds and credit-limit breaches with 422 problem+json, appending nothing', async () => {
    const unknown = await call('POST', '/v1/invoices', invoice(stranger, 1_000, '2026-01-01'));
    expect(unknown.status).toBe(422);
    expect(unknown.type).toMatch(/problem\+json/);
    const hold = await call('POST', '/v1/invoices', invoice(held, 1_000, '2026-01-01'));
    expect([hold.status, hold.body.type]).toEqual([422, expect.stringMatching(/credit-hold$/)]);
    const limit = await call('POST', '/v1/invoices', invoice(beta, 200_000, '2026-01-01'));
    expect([limit.status, limit.body.type]).toEqual([422, expect.stringMatching(/credit-limit-exceeded$/)]);
    expect(await count('InvoiceIssued')).toBe(1);
    const fits = await call('POST', '/v1/invoices', invoice(beta, 100_000, '2026-01-01'));
    expect(fits.status).toBe(201);
    ids.beta = fits.body.id;
  });

  it('names the bad field for bad money, dates and installments', async () => {
    const bad = await call('POST', '/v1/invoices', invoice(alpha, 1, '2026-01-01', { lines: [{ description: 'x', quantity: 1, unitPrice: 10.5 }] }));
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field)).toEqual(['lines[0].unitPrice']);
    const schedule = await call('POST', '/v1/invoices', invoice(alpha, 1_000, '2026-01-01', { terms: { type: 'installments', schedule: [{ dueDate: '2026-02-01', amount: 999 }] } }));
    expect([schedule.status, schedule.body.errors[0].field]).toEqual([400, 'terms.schedule']);
    const early = await call('POST', '/v1/invoices', invoice(alpha, 1_000, '2026-01-10', { terms: { type: 'installments',
      schedule: [{ dueDate: '2026-03-01', amount: 400 }, { dueDate: '2026-01-09', amount: 600 }] } }));
    expect([early.status, early.body.errors[0].field]).toEqual([400, 'terms.schedule[1].dueDate']);
    // A malformed id in the path names its parameter too.
    const malformed = await call('POST', '/v1/invoices/not-a-uuid/disputes', { reason: 'x' });
    expect([malformed.status, malformed.body.errors]).toEqual([400, [{ field: 'id', messages: ['id must be a UUID'] }]]);
    const fieldOf = async (body: unknown) => {
      const r = await call('POST', '/v1/invoices', body);
      return [r.status, r.type, r.body.errors?.map((e: any) => e.field)];
    };
    const { terms: _terms, ...withoutTerms } = invoice(alpha, 1_000, '2026-01-10');
    expect(await fieldOf(withoutTerms)).toEqual([400, expect.stringMatching(/^application\/problem\+json/), ['terms']]);
    expect(await fieldOf(invoice(alpha, 1_000, '2026-01-10', { currency: 'cny' }))).toEqual([400, expect.any(String), ['currency']]);
    expect(await fieldOf(invoice(alpha, 1_000, '9999-12-31'))).toEqual([400, expect.any(String), ['issueDate']]);
    expect(await fieldOf(invoice(alpha, 1_000, '2026-01-10', { lines: [[{ description: 'x', quantity: 1, unitPrice: 1_000 }]] }))).toEqual([400, expect.any(String), ['lines']]);
    expect(await fieldOf(invoice(alpha, 1_000, '2026-01-10', { lines: [{ description: 'nul\u0000', quantity: 1, unitPrice: 1_000 }] }))).toEqual([400, expect.any(String), ['lines[0].description']]);
    expect(await count('InvoiceIssued')).toBe(2);
  });

  it('refuses money beyond exact integers, payments from unknown customers and bad query parameters, naming the field', async () => {
    const payment = { customerId: alpha, currency: 'CNY', receivedOn: '2026-01-05', method: 'cash', reference: 'R' };
    const huge = await call('POST', '/v1/payments', { ...payment, amount: 2 ** 60 }, 'collector');
    expect([huge.status, huge.body.errors.map((e: any) => e.field)]).toEqual([400, ['amount']]);
    const unknown = await call('POST', '/v1/payments', { ...payment, customerId: stranger, amount: 100 }, 'collector');
    expect([unknown.status, unknown.body.type, unknown.body.errors[0].field]).toEqual([422, expect.stringMatching(/unknown-customer$/), 'customerId']);
    expect(await count('PaymentReceived')).toBe(0);
    for (const [query, field] of [['limit=abc', 'limit'], ['minDaysOverdue=1.5', 'minDaysOverdue'], ['dunningLevel=', 'dunningLevel'], ['dunningLevel=%20', 'dunningLevel'],
      ['cursor=!!!', 'cursor'], ['currency=usd', 'currency'], ['customerId=nope', 'customerId'], ['asOf=2026-02-30', 'asOf'], ['sort=size', 'sort']]) {
      const r = await call('GET', `/v1/overdue?${query}`, undefined, 'collector');
      expect([query, r.status, r.body.errors?.map((e: any) => e.field)]).toEqual([query, 400, [field]]);
    }
    expect((await call('GET', '/v1/overdue?asOf=&limit=5', undefined, 'collector')).status).toBe(200);
    const period = await call('GET', '/v1/metrics?period=2026-13');
    expect([period.status, period.body.errors?.map((e: any) => e.field)]).toEqual([400, ['period']]);
  });

  it('applies the early-payment discount, then allocates oldest due first with the rest as unapplied credit', async () => {
    const discounted = await call('POST', '/v1/payments', { customerId: alpha, amount: 98_000, currency: 'CNY', receivedOn: '2026-01-05', method: 'bank_transfer', reference: 'B-1' }, 'collector');
    expect(discounted.body.allocations).toEqual([{ invoiceId: ids.discounted, amount: 98_000, discount: 2_000, kind: 'payment' }]);
    expect((await call('GET', `/v1/invoices/${ids.discounted}`, undefined, 'collector')).body).toMatchObject({ status: 'paid', outstanding: 0, paid: 98_000, discounted: 2_000 });

    ids.older = (await call('POST', '/v1/invoices', invoice(alpha, 50_000, '2026-01-02'))).body.id;
    ids.newer = (await call('POST', '/v1/invoices', invoice(alpha, 30_000, '2026-01-10'))).body.id;
    const paid = await call('POST', '/v1/payments', { customerId: alpha, amount: 60_000, currency: 'CNY', receivedOn: '2026-01-20', method: 'cash', reference: 'C-1' }, 'collector');
    expect(paid.status).toBe(201);
    expect(paid.body.allocations).toEqual([
      { invoiceId: ids.older, amount: 50_000, discount: 0, kind: 'payment' },
      { invoiceId: ids.newer, amount: 10_000, discount: 0, kind: 'payment' },
    ]);
    const over = await call('POST', '/v1/payments', { customerId: beta, amount: 120_000, currency: 'CNY', receivedOn: '2026-01-21', method: 'cash', reference: 'C-2', allocations: [{ invoiceId: ids.beta, amount: 90_000 }] }, 'collector');
    expect(over.body).toMatchObject({ unapplied: 30_000 });
    ids.betaPayment = over.body.id;
    const beforeReceipt = await call('POST', `/v1/payments/${ids.betaPayment}/reverse`, { reversedOn: '2026-01-20' }, 'collector');
    expect([beforeReceipt.status, beforeReceipt.body.errors[0].field]).toEqual([422, 'reversedOn']);
    expect((await call('POST', `/v1/payments/${ids.betaPayment}/reverse`, { reversedOn: '2026-01-22' }, 'collector')).status).toBe(200);
    expect((await call('GET', `/v1/invoices/${ids.beta}`, undefined, 'collector')).body.outstanding).toBe(100_000);
  });

  it('refuses allocations above the outstanding amount and a currency mismatch, naming the field', async () => {
    const above = await call('POST', '/v1/payments', { customerId: alpha, amount: 99_000, currency: 'CNY', receivedOn: '2026-01-21', method: 'cash', reference: 'X', allocations: [{ invoiceId: ids.newer, amount: 99_000 }] }, 'collector');
    expect([above.status, above.body.errors[0].field]).toEqual([422, 'allocations[0].amount']);
    const currency = await call('POST', '/v1/payments', { customerId: alpha, amount: 100, currency: 'USD', receivedOn: '2026-01-21', method: 'cash', reference: 'X', allocations: [{ invoiceId: ids.newer, amount: 100 }] }, 'collector');
    expect([currency.status, currency.body.errors[0].field]).toEqual([422, 'currency']);
    const unknownInvoice = await call('POST', '/v1/payments', { customerId: alpha, amount: 100, currency: 'CNY', receivedOn: '2026-01-21', method: 'cash', reference: 'X', allocations: [{ invoiceId: randomUUID(), amount: 100 }] }, 'collector');
    expect([unknownInvoice.status, unknownInvoice.body.errors[0].field]).toEqual([422, 'allocations[0].invoiceId']);
    expect(await count('PaymentReceived')).toBe(3);
  });

  it('closes days: overdue and dunning, idempotent per date, refused backwards; pauses for disputes', async () => {
    expect((await call('POST', `/v1/invoices/${ids.beta}/disputes`, { reason: 'wrong quantity' }, 'collector')).status).toBe(201);
    const close = await call('POST', '/v1/operations/close-day', { businessDate: '2026-02-10' });
    expect(close.status).toBe(200);
    expect(close.body.recorded).toEqual({ InvoiceBecameOverdue: 2, DunningLevelRaised: 1 });
    const again = await call('POST', '/v1/operations/close-day', { businessDate: '2026-02-10' });
    expect(again.body.recorded).toEqual({});
    const backwards = await call('POST', '/v1/operations/close-day', { businessDate: '2026-02-09' });
    expect([backwards.status, backwards.body.type]).toEqual([409, expect.stringMatching(/business-date-before-last-closed$/)]);
    expect((await call('GET', `/v1/invoices/${ids.newer}`, undefined, 'collector')).body).toMatchObject({ status: 'overdue', dunningLevel: 1, outstanding: 20_000 });
  });

  it('serves the overdue list and aging as of the last closed date, and as of a past date', async () => {
    const rows = await pollUntil(async () => {
      const r = await call('GET', '/v1/overdue?sort=amount', undefined, 'collector');
      return r.body.items.length === 2 && r.body.items[1].dunningLevel === 1 ? r.body : undefined;
    }, { what: 'overdue list' });
    expect(rows.asOf).toBe('2026-02-10');
    expect(rows.items).toEqual([
      { customerId: beta, invoiceId: ids.beta, number: expect.any(String), currency: 'CNY', outstanding: 100_000, dueDate: '2026-01-31', daysOverdue: 10, bucket: '1-30', dunningLevel: 0, promisedDate: null, disputed: false,
        predictedPaymentDate: null, predictionBasis: expect.objectContaining({ reason: 'no-payment-history', paidInvoices: 0 }) },
      { customerId: alpha, invoiceId: ids.newer, number: expect.any(String), currency: 'CNY', outstanding: 20_000, dueDate: '2026-02-09', daysOverdue: 1, bucket: '1-30', dunningLevel: 1, promisedDate: null, disputed: false,
        // alpha paid two invoices early: predicted for the day after the list's date, from that history
        predictedPaymentDate: '2026-02-11', predictionBasis: expect.objectContaining({ paidInvoices: 2, reason: null }) },
    ]);
    // The dispute was opened today (server clock): as of 2026-02-10 it did not exist yet.
    const today = new Date().toISOString().slice(0, 10);
    const now = (await call('GET', `/v1/overdue?asOf=${today}&customerId=${beta}`, undefined, 'collector')).body;
    expect(now.items).toEqual([expect.objectContaining({ invoiceId: ids.beta, disputed: true })]);
    expect((await call('GET', `/v1/overdue?customerId=${alpha}&minDaysOverdue=1`, undefined, 'collector')).body.items.map((r: any) => r.invoiceId)).toEqual([ids.newer]);
    expect((await call('GET', '/v1/overdue?asOf=2026-01-15', undefined, 'collector')).body.items).toEqual([]);
    const aging = (await call('GET', '/v1/aging', undefined, 'collector')).body;
    expect(aging.currencies).toEqual([{ currency: 'CNY', total: 120_000, buckets: expect.objectContaining({ '1-30': 120_000, not_due: 0 }) }]);
    // The invoice itself carries the same prediction, as of today (never a day already past).
    const predicted = (await call('GET', `/v1/invoices/${ids.newer}`, undefined, 'collector')).body;
    expect(predicted).toMatchObject({ predictionBasis: { paidInvoices: 2, reason: null } });
    expect(predicted.predictedPaymentDate > today).toBe(true);
    const page1 = (await call('GET', '/v1/overdue?limit=1', undefined, 'collector')).body;
    const page2 = (await call('GET', `/v1/overdue?limit=1&cursor=${page1.nextCursor}`, undefined, 'collector')).body;
    expect([...page1.items, ...page2.items].map((r: any) => r.invoiceId).sort()).toEqual([ids.beta, ids.newer].sort());
  });

  it('needs a second person to approve a write-off; money after it is a recovery', async () => {
    const request = await call('POST', `/v1/invoices/${ids.newer}/write-off-requests`, { reason: 'customer insolvent' }, 'credit_manager', {}, 'manager-1');
    expect(request.status).toBe(201);
    const self = await call('POST', `/v1/write-off-requests/${request.body.id}/approve`, undefined, 'credit_manager', {}, 'manager-1');
    expect([self.status, self.body.type]).toEqual([403, expect.stringMatching(/write-off-self-approval$/)]);
    const approved = await call('POST', `/v1/write-off-requests/${request.body.id}/approve`, undefined, 'credit_manager', {}, 'manager-2');
    expect([approved.status, approved.body.amount]).toEqual([200, 20_000]);
    const recovery = await call('POST', '/v1/payments', { customerId: alpha, amount: 5_000, currency: 'CNY', receivedOn: '2026-03-01', method: 'cash', reference: 'R', allocations: [{ invoiceId: ids.newer, amount: 5_000 }] }, 'collector');
    expect(recovery.body.allocations).toEqual([{ invoiceId: ids.newer, amount: 5_000, discount: 0, kind: 'recovery' }]);
    expect((await call('GET', `/v1/invoices/${ids.newer}`, undefined, 'collector')).body).toMatchObject({ status: 'written_off', writtenOff: 20_000, recovered: 5_000, outstanding: 0 });
  });

  it('produces a statement whose closing balance is what the customer owes', async () => {
    // The write-off is dated by the server's clock (the day it was approved): read to far ahead.
    const statement = (await call('GET', `/v1/customers/${alpha}/statement?from=2026-01-01&to=2999-12-31`, undefined, 'collector')).body;
    const [cny] = statement.currencies;
    expect(cny.openingBalance).toBe(0);
    // 180,000 invoiced − 98,000 − 2,000 discount − 60,000 paid − 20,000 written off = 0 owed
    expect(cny.closingBalance).toBe(0);
    expect(cny.lines.map((l: any) => l.type).sort()).toEqual(['early_payment_discount', 'invoice', 'invoice', 'invoice', 'payment', 'payment', 'payment',
      'write_off', 'write_off_recovered']);
    expect(cny.lines.filter((l: any) => l.type === 'write_off_recovered').map((l: any) => l.amount)).toEqual([5_000]);
    const before = (await call('GET', `/v1/customers/${alpha}/statement?from=2026-01-03&to=2026-01-31`, undefined, 'collector')).body.currencies[0];
    expect([before.openingBalance, before.closingBalance]).toEqual([150_000, 20_000]);
  });

  it('credit notes, dispute resolution, a broken promise escalating at once, rejection, worklist, allowance, metrics', async () => {
    const gamma = (await call('POST', '/v1/invoices', invoice(beta, 40_000, '2026-02-01'))).body.id; // due 2026-03-03
    const read = await fetch(`${service.url}/v1/invoices/${gamma}`, { headers: { authorization: `Bearer ${await tokenFor('collector')}` } });
    const seen = read.headers.get('etag')!;
    expect(seen).toMatch(/^"\d+"$/);
    const credited = await call('POST', `/v1/invoices/${gamma}/credit-notes`, { amount: 5_000, reason: 'damaged box' }, 'credit_manager', { 'If-Match': seen });
    expect([credited.status, credited.body.amount]).toEqual([201, 5_000]);
    const stale = await call('POST', `/v1/invoices/${gamma}/credit-notes`, { amount: 1_000, reason: 'again' }, 'credit_manager', { 'If-Match': seen });
    expect([stale.status, stale.body.type]).toEqual([409, expect.stringMatching(/concurrency-conflict$/)]);
    const tooMuch = await call('POST', `/v1/invoices/${gamma}/credit-notes`, { amount: 50_000, reason: 'x' });
    expect([tooMuch.status, tooMuch.body.errors[0].field]).toEqual([422, 'amount']);
    expect((await call('POST', `/v1/invoices/${ids.beta}/disputes/resolve`, { resolution: 'quantity confirmed' }, 'collector')).status).toBe(200);

    // The promise falls due in the past of the business calendar, so the next close decides it.
    const today = new Date().toISOString().slice(0, 10);
    const promise = await call('POST', `/v1/invoices/${gamma}/promises-to-pay`, { promisedDate: today, amount: 35_000 }, 'collector');
    expect(promise.status).toBe(201);
    const close = await call('POST', '/v1/operations/close-day', { businessDate: today });
    expect(close.body.recorded).toMatchObject({ PromiseToPayBroken: 1 });
    const after = (await call('GET', `/v1/invoices/${gamma}`, undefined, 'collector')).body;
    expect(after.promiseToPay).toBeNull();
    expect(after.dunningLevel).toBeGreaterThanOrEqual(1);

    const reject = await call('POST', `/v1/invoices/${gamma}/write-off-requests`, { reason: 'slow payer' }, 'collector', {}, 'collector-1');
    const rejected = await call('POST', `/v1/write-off-requests/${reject.body.id}/reject`, { reason: 'still collectable' }, 'credit_manager', {}, 'manager-2');
    expect([rejected.status, rejected.body.status]).toEqual([200, 'rejected']);

    const worklist = await pollUntil(async () => {
      const r = (await call('GET', '/v1/collections/worklist', undefined, 'collector')).body;
      return r.asOf === today && r.items.length === 2 ? r : undefined;
    }, { what: 'worklist as of today' });
    expect(worklist.items.map((i: any) => i.invoiceId)).toEqual([ids.beta, gamma]);
    expect(worklist.items[0].score).toBeGreaterThan(worklist.items[1].score);
    // Segments: gamma's promise was broken (at risk); a made-up segment is a 400 naming it.
    const atRisk = (await call('GET', '/v1/collections/worklist?segment=at-risk', undefined, 'collector')).body;
    expect(atRisk.items.find((i: any) => i.invoiceId === gamma)).toMatchObject({ segment: { segment: 'at-risk', rule: 'broken-promise', policyVersion: 1 } });
    const bogus = await call('GET', '/v1/collections/worklist?segment=easy', undefined, 'collector');
    expect([bogus.status, bogus.body.errors?.map((e: any) => e.field)]).toEqual([400, ['segment']]);

    // The segment rules are a versioned policy: version 1 by default; a PUT replaces them, and rows cite the version that placed them.
    const v1 = (await call('GET', '/v1/collections/segment-policy', undefined, 'collector')).body;
    expect(v1).toEqual({ version: 1, usuallyPays: { minPaidInvoices: 3, maxMedianDaysLate: 5 }, smallBalance: { maxOutstanding: 100_000 },
      nearLimit: { minUtilization: 0.8 }, severalDunningLevels: { minLevel: 3 }, habituallyLate: { minPaidInvoices: 3, minMedianDaysLate: 30 } });
    const { version: _version, ...rules } = v1;
    const put = (body: unknown, role = 'credit_manager') => call('PUT', '/v1/collections/segment-policy', body, role);
    const invalid = await put({ ...rules, nearLimit: { minUtilization: 1.5 }, severalDunningLevels: { minLevel: 'two' }, smallBalance: undefined });
    expect([invalid.status, invalid.body.errors.map((e: any) => e.field).sort()]).toEqual([400, ['nearLimit.minUtilization', 'severalDunningLevels.minLevel', 'smallBalance']]);
    // A number JavaScript prints in exponent notation (the fuzz's 1e-323 was a 500 from class-validator's maxDecimalPlaces).
    const tiny = await put({ ...rules, nearLimit: { minUtilization: 1e-323 } });
    expect([tiny.status, tiny.body.errors.map((e: any) => e.field)]).toEqual([400, ['nearLimit.minUtilization']]);
    const overlap = await put({ ...rules, habituallyLate: { minPaidInvoices: 3, minMedianDaysLate: 5 } });
    expect([overlap.status, overlap.body.type, overlap.body.errors]).toEqual([400, expect.stringMatching(/segment-rules-overlap$/), [expect.objectContaining({ field: 'habituallyLate.minMedianDaysLate' })]]);
    expect((await put({ ...rules, severalDunningLevels: { minLevel: 1 } }, 'collector')).status).toBe(403);
    expect((await put(rules)).body).toEqual({ ...v1, changed: false });
    expect(await count('WorklistSegmentPolicyChanged')).toBe(0);
    const v2 = await put({ ...rules, severalDunningLevels: { minLevel: 1 } });
    expect([v2.status, v2.body]).toEqual([200, { ...v1, version: 2, changed: true, severalDunningLevels: { minLevel: 1 } }]);
    const stored = (await db.pool.query(`SELECT data FROM events WHERE event_type = 'WorklistSegmentPolicyChanged'`)).rows.map((r) => r.data);
    expect(stored).toEqual([{ ...v2.body, changed: undefined, changedBy: expect.any(String), changedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }].map(({ changed: _c, ...d }) => d));
    const atRiskV2 = (await call('GET', '/v1/collections/worklist?segment=at-risk', undefined, 'collector')).body;
    expect(atRiskV2.policyVersion).toBe(2);
    expect(atRiskV2.items.find((i: any) => i.invoiceId === gamma)).toMatchObject({ segment: { rule: 'broken-promise', policyVersion: 2 } });
    expect(atRiskV2.items.find((i: any) => i.invoiceId === ids.beta)).toMatchObject({
      segment: { segment: 'at-risk', rule: 'several-dunning-levels', policyVersion: 2, inputs: { dunningLevel: worklist.items[0].dunningLevel } } });

    const allowance = (await call('GET', '/v1/allowance', undefined, 'credit_manager')).body;
    expect(allowance.currencies).toEqual([{ currency: 'CNY', outstanding: 135_000, allowance: expect.any(Number) }]);
    expect(allowance.currencies[0].allowance).toBeGreaterThan(0);

    const january = (await call('GET', '/v1/metrics?period=2026-01', undefined, 'credit_manager')).body.currencies[0];
    expect(january).toMatchObject({ currency: 'CNY', creditSales: 280_000, receivablesAtStart: 0 });
    expect(january.dso).toBeCloseTo((january.receivablesAtEnd / 280_000) * 31, 1);
    expect((await call('GET', '/v1/metrics?period=2026-13', undefined, 'credit_manager')).status).toBe(400);
  });

  it('rebuilds each read model into identical rows, and publishes every event to Kafka', async () => {
    // Compare with a live model that has applied everything on its topic, or the rebuild
    // (which reads to the end) would rightly hold more. First the relay must have published
    // every stored event: on a loaded machine it can still be behind the last commands.
    await pollUntil(async () => {
      const published = (await transport.endOffsets(eventsTopic('receivables', prefix))).reduce((n, p) => n + Number(p.offset), 0);
      return published === Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count) || undefined;
    }, { what: 'every stored event published' });
    const topics: Record<string, string> = { 'receivable-invoices': 'receivables', 'known-customers': 'customers', 'credit-positions': 'credit' };
    for (const [name, service] of Object.entries(topics)) {
      await pollUntil(async () => {
        const ends = (await transport.endOffsets(eventsTopic(service as any, prefix))).reduce((n, p) => n + Number(p.offset), 0);
        const { rows } = await db.pool.query(`SELECT coalesce(sum("offset" + 1), 0)::int AS n FROM consumer_checkpoints WHERE consumer = $1`, [name]);
        return rows[0].n === ends;
      }, { what: `${name} caught up` });
    }
    for (const [name, table] of [['receivable-invoices', 'receivable_invoices'], ['known-customers', 'known_customers'], ['credit-positions', 'credit_positions']]) {
      // The invoice documents and the SQL tables beside them (the overdue read model, ADR 27).
      const companions = table === 'receivable_invoices' ? ['open', 'versions', 'totals', 'watermark', 'closes', 'payers'] : [];
      const snapshot = async () => [(await db.pool.query(`SELECT id, doc FROM ${table} ORDER BY id`)).rows,
        ...await Promise.all(companions.map(async (c) => (await db.pool.query(`SELECT * FROM ${table}_${c} ORDER BY 1, 2`)).rows))];
      const live = await snapshot();
      expect((await call('POST', `/v1/admin/projections/${name}/rebuild`, undefined, 'admin')).status).toBe(202);
      await pollUntil(async () => (await call('GET', `/v1/admin/projections/${name}/rebuild`, undefined, 'admin')).body.status === 'completed' || undefined,
        { what: `rebuild of ${name}`, timeoutMs: 60_000 });
      expect(await snapshot()).toEqual(live);
    }
    const ends = await transport.endOffsets(eventsTopic('receivables', prefix));
    const stored = Number((await db.pool.query(`SELECT count(*) FROM events`)).rows[0].count);
    expect(ends.reduce((n, p) => n + Number(p.offset), 0)).toBe(stored);
  });
});
