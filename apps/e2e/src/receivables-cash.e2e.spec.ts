import { randomUUID } from 'node:crypto';
import { eventsTopic } from '@crm/contracts';
import { KafkajsTransport, RecordedEvent, toKafkaMessage } from '@crm/eventing';
import { callApi, freshDatabase, tokenFor, kafkaBrokers, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, testTopicPrefix } from '@crm/testing';

/**
 * Cash application and the customer credit balance from outside: remittance matching (also for
 * a payer not named), the unmatched list, later allocation, credit notes above the outstanding,
 * refunds, the auto-apply policy, the statement — on real PostgreSQL and Kafka.
 */
describe('receivables cash application and credit balance (process, real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let service: RunningService;
  let transport: KafkajsTransport;
  const prefix = testTopicPrefix('e2e-cash');
  const [alpha, beta] = [randomUUID(), randomUUID()];

  function registered(customerId: string): RecordedEvent {
    return { id: randomUUID(), type: 'CustomerRegistered', schemaVersion: 1, data: { customerId, kind: 'company', legalName: `Co ${customerId.slice(0, 4)}`, tags: [] },
      occurredAt: '2026-01-01T00:00:00.000Z', streamId: `customer-${customerId}`, streamVersion: 1, partitionKey: customerId, globalPosition: '0', transactionId: '0', hash: '',
      metadata: { actor: { id: 'upstream', roles: ['admin'] }, correlationId: 'c', causationId: 'c' } };
  }

  beforeAll(async () => {
    db = await freshDatabase();
    transport = new KafkajsTransport({ brokers: kafkaBrokers(), clientId: 'receivables-cash-e2e', quiet: true });
    const customers = eventsTopic('customers', prefix);
    await transport.ensureTopics([{ topic: customers, partitions: 3 }, { topic: eventsTopic('credit', prefix), partitions: 3 }]);
    await transport.publish(customers, [alpha, beta].map((id) => toKafkaMessage(registered(id), 'crm.customers')));
    service = await startService('receivables', { DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '3', AUTH_DEV_SECRET: TEST_AUTH_SECRET });
    await pollUntil(async () => (await db.pool.query('SELECT count(*)::int AS n FROM known_customers')).rows[0].n === 2 || undefined, { what: 'customers consumed' });
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await transport?.close();
    await db?.drop();
  });

  const call = (method: string, path: string, body?: unknown, role = 'credit_manager') => callApi(service.url, method, path, { body, role });
  const countAll = async () => Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count);
  const count = async (type: string) => Number((await db.pool.query('SELECT count(*) FROM events WHERE event_type = $1', [type])).rows[0].count);
  const issue = async (customerId: string, total: number, issueDate = '2026-01-01') => {
    const r = await call('POST', '/v1/invoices', { customerId, currency: 'CNY', issueDate, lines: [{ description: 'Longjing tea', quantity: 1, unitPrice: total }], terms: { type: 'net', days: 30 } });
    expect(r.status).toBe(201);
    return r.body as { id: string; number: string };
  };
  const payment = (extra: Record<string, unknown>) => ({ currency: 'CNY', receivedOn: '2026-01-20', method: 'bank_transfer', reference: 'BANK-1', ...extra });
  const unmatched = (query = '') => call('GET', `/v1/payments/unmatched${query}`, undefined, 'collector');
  const inv: Record<string, { id: string; number: string }> = {};
  let short = '';

  it('applies invoices a remittance names whose outstanding the money settles exactly', async () => {
    inv.one = await issue(alpha, 100_000);
    inv.two = await issue(alpha, 50_000);
    const r = await call('POST', '/v1/payments', payment({ customerId: alpha, amount: 150_000, remittance: `${inv.one.number}, ${inv.two.number}` }), 'collector');
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ customerId: alpha, unapplied: 0, allocations: [
      { invoiceId: inv.one.id, amount: 100_000, discount: 0, kind: 'payment' }, { invoiceId: inv.two.id, amount: 50_000, discount: 0, kind: 'payment' }] });
    expect(r.body.matching.references.map((x: any) => x.outcome)).toEqual(['applied', 'applied']);
    expect((await call('GET', `/v1/invoices/${inv.two.id}`, undefined, 'collector')).body).toMatchObject({ status: 'paid', outstanding: 0 });
  });

  it('finds an unknown payer by the invoices its remittance names; keeps what does not settle one unapplied, with a suggestion', async () => {
    inv.three = await issue(alpha, 30_000);
    inv.four = await issue(alpha, 40_000);
    const r = await call('POST', '/v1/payments', payment({ amount: 68_600, remittance: `${inv.three.number}, ${inv.four.number} less 3%` }), 'collector');
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ customerId: alpha, unapplied: 38_600, allocations: [{ invoiceId: inv.three.id, amount: 30_000, discount: 0, kind: 'payment' }] });
    // 70,000 less 3% would be 67,900: the deduction does not match, so the first invoice is applied and the rest kept.
    expect(r.body.matching).toMatchObject({ deductionPercent: 3, suggestions: [{ invoiceId: inv.four.id, number: inv.four.number, amount: 38_600 }] });
    expect(r.body.matching).not.toHaveProperty('deduction');
    short = r.body.id;
  });

  it('refuses a payment that names no payer, or invoices of several, with 422 naming customerId; nothing recorded', async () => {
    const before = await count('PaymentReceived');
    const other = await issue(beta, 1_000);
    for (const body of [payment({ amount: 100 }), payment({ amount: 100, remittance: 'for the tea, thanks' }),
      payment({ amount: 100, remittance: `${inv.four.number} ${other.number}` })]) {
      const r = await call('POST', '/v1/payments', body, 'collector');
      expect([r.status, r.type, r.body.errors?.[0]?.field]).toEqual([422, expect.stringMatching(/problem\+json/), 'customerId']);
    }
    const bad = await call('POST', '/v1/payments', payment({ customerId: alpha, amount: 100, remittance: '' }), 'collector');
    expect([bad.status, bad.body.errors.map((e: any) => e.field)]).toEqual([400, ['remittance']]);
    // One or the other: allocations say where the money goes, a remittance asks for matching.
    const both = await call('POST', '/v1/payments', payment({ customerId: alpha, amount: 100, remittance: inv.four.number,
      allocations: [{ invoiceId: inv.four.id, amount: 100 }] }), 'collector');
    expect([both.status, both.body.type, both.body.errors.map((e: any) => e.field)]).toEqual([400, expect.stringMatching(/validation$/), ['remittance']]);
    // A body that is not JSON says so, naming body.
    const unparsable = await fetch(`${service.url}/v1/payments`, { method: 'POST', body: '{"amount": 1,',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('collector')}` } });
    const problem = (await unparsable.json()) as any;
    expect([unparsable.status, problem.type, problem.errors.map((e: any) => e.field)]).toEqual([400, expect.stringMatching(/validation$/), ['body']]);
    expect(problem.errors[0].messages[0]).toMatch(/not valid JSON/);
    expect(await count('PaymentReceived')).toBe(before);
  });

  it('matches year-series numbers written without the prefix or with spaces, also for an unknown payer', async () => {
    const bare = await issue(alpha, 7_000);
    const [, year, seq] = /^INV-([0-9]{4})-([0-9]+)$/.exec(bare.number)!;
    const byBare = await call('POST', '/v1/payments', payment({ amount: 7_000, remittance: `${year}-${seq}` }), 'collector');
    expect([byBare.status, byBare.body.customerId, byBare.body.allocations]).toEqual([201, alpha, [expect.objectContaining({ invoiceId: bare.id, amount: 7_000 })]]);
    for (const write of [(y: string, n: string) => `inv ${y} ${Number(n)}`, (y: string, n: string) => `#${y}-${Number(n)}`]) {
      const next = await issue(alpha, 8_000);
      const [, y, n] = /^INV-([0-9]{4})-([0-9]+)$/.exec(next.number)!;
      const r = await call('POST', '/v1/payments', payment({ customerId: alpha, amount: 8_000, remittance: `for ${write(y, n)}, thanks` }), 'collector');
      expect([r.status, r.body.unapplied, r.body.allocations]).toEqual([201, 0, [expect.objectContaining({ invoiceId: next.id, amount: 8_000 })]]);
    }
  });

  it('answers a reused Idempotency-Key with 422 naming the header', async () => {
    const headers = { 'Idempotency-Key': `close-${randomUUID()}` };
    const first = await callApi(service.url, 'POST', '/v1/operations/close-period', { body: { period: '2020-01' }, role: 'credit_manager', headers });
    expect(first.status).toBe(200);
    const other = await callApi(service.url, 'POST', '/v1/operations/close-period', { body: { period: '2020-02' }, role: 'credit_manager', headers });
    expect([other.status, other.body.type, other.body.errors?.map((e: any) => e.field)])
      .toEqual([422, expect.stringMatching(/idempotency-key-reused$/), ['Idempotency-Key']]);
  });

  it('lists payments with unapplied money and ranked suggestions', async () => {
    const list = await pollUntil(async () => {
      const r = await unmatched();
      return r.body.items.some((i: any) => i.paymentId === short) ? r : undefined;
    }, { what: 'unmatched payment listed' });
    expect(list.status).toBe(200);
    const item = list.body.items.find((i: any) => i.paymentId === short);
    expect(item).toMatchObject({ customerId: alpha, amount: 68_600, unapplied: 38_600, currency: 'CNY', remittance: expect.stringContaining(inv.four.number) });
    expect(item.suggestions[0]).toMatchObject({ invoiceId: inv.four.id, confidence: expect.any(Number), why: expect.any(String) });
    expect((await unmatched(`?customerId=${beta}`)).body.items).toEqual([]);
    for (const [query, field] of [['?limit=0', 'limit'], ['?cursor=!!', 'cursor'], ['?cursor=abc', 'cursor'], ['?customerId=x', 'customerId'], ['?currency=cny', 'currency']]) {
      const r = await unmatched(query);
      expect([query, r.status, r.body.errors?.map((e: any) => e.field)]).toEqual([query, 400, [field]]);
    }
  });

  it('applies unapplied money later under the allocation rules, recording PaymentAllocated', async () => {
    const path = `/v1/payments/${short}/allocations`;
    const tooMuch = await call('POST', path, { allocations: [{ invoiceId: inv.four.id, amount: 40_000 }] }, 'collector');
    expect([tooMuch.status, tooMuch.body.errors[0].field]).toEqual([422, 'allocations']);
    const zero = await call('POST', path, { allocations: [{ invoiceId: inv.four.id, amount: 0 }] }, 'collector');
    expect([zero.status, zero.body.errors.map((e: any) => e.field)]).toEqual([400, ['allocations[0].amount']]);
    const missing = await call('POST', path, {}, 'collector');
    expect([missing.status, missing.body.errors.map((e: any) => e.field)]).toEqual([400, ['allocations']]);
    const foreign = await call('POST', path, { allocations: [{ invoiceId: randomUUID(), amount: 1 }] }, 'collector');
    expect([foreign.status, foreign.body.errors[0].field]).toEqual([422, 'allocations[0].invoiceId']);
    expect((await call('POST', `/v1/payments/${randomUUID()}/allocations`, { allocations: [{ invoiceId: inv.four.id, amount: 1 }] }, 'collector')).status).toBe(404);
    expect(await count('PaymentAllocated')).toBe(0);
    const ok = await call('POST', path, { allocations: [{ invoiceId: inv.four.id, amount: 38_600 }] }, 'collector');
    expect([ok.status, ok.body.unapplied, ok.body.allocations]).toEqual([200, 0, [{ invoiceId: inv.four.id, amount: 38_600, discount: 0, kind: 'payment' }]]);
    expect((await call('GET', `/v1/invoices/${inv.four.id}`, undefined, 'collector')).body.outstanding).toBe(1_400);
    await pollUntil(async () => !(await unmatched()).body.items.some((i: any) => i.paymentId === short) || undefined, { what: 'payment leaves the unmatched list' });
  });

  it('turns a credit note above the outstanding into credit balance, shown on the statement', async () => {
    const note = await call('POST', `/v1/invoices/${inv.four.id}/credit-notes`, { amount: 5_000, reason: 'returned two boxes' });
    expect([note.status, note.body.toCreditBalance]).toEqual([201, 3_600]);
    const balance = (await call('GET', `/v1/customers/${alpha}/credit-balance`, undefined, 'collector')).body;
    expect(balance.currencies).toEqual([{ currency: 'CNY', amount: 3_600, sources: [{ kind: 'credit-note', id: note.body.id, amount: 3_600 }] }]);
    const [cny] = (await call('GET', `/v1/customers/${alpha}/statement?from=2026-01-01&to=2999-12-31`, undefined, 'collector')).body.currencies;
    expect(cny).toMatchObject({ openBalance: 0, creditBalance: 3_600, closingBalance: -3_600 });
  });

  it('refunds credit balance, never more than it holds (422 naming amount)', async () => {
    const over = await call('POST', `/v1/customers/${alpha}/refunds`, { amount: 3_601, currency: 'CNY', reference: 'REF-1' });
    expect([over.status, over.body.errors[0].field, over.body.type]).toEqual([422, 'amount', expect.stringMatching(/refund-exceeds-credit-balance$/)]);
    const bad = await call('POST', `/v1/customers/${alpha}/refunds`, { amount: 1.5, currency: 'CNY' });
    expect([bad.status, bad.body.errors.map((e: any) => e.field).sort()]).toEqual([400, ['amount', 'reference']]);
    expect((await call('POST', `/v1/customers/${alpha}/refunds`, { amount: 1, currency: 'CNY', reference: 'R' }, 'collector')).status).toBe(403);
    // A customer receivables does not know: unknown-customer, not a balance too small; no balance to show (404).
    const stranger = '99999999-9999-4999-8999-999999999999';
    const unknown = await call('POST', `/v1/customers/${stranger}/refunds`, { amount: 1, currency: 'CNY', reference: 'R' });
    expect([unknown.status, unknown.body.type, unknown.body.errors[0].field]).toEqual([422, expect.stringMatching(/unknown-customer$/), 'customerId']);
    expect((await call('GET', `/v1/customers/${stranger}/credit-balance`, undefined, 'collector')).status).toBe(404);
    const statement = await call('GET', `/v1/customers/${stranger}/statement?from=2026-01-01&to=2026-12-31`, undefined, 'collector');
    expect([statement.status, statement.headers.get('content-type'), statement.body.type]).toEqual([404, expect.stringContaining('application/problem+json'), expect.stringMatching(/not-found$/)]);
    expect(await count('CreditBalanceRefunded')).toBe(0);
    const ok = await call('POST', `/v1/customers/${alpha}/refunds`, { amount: 1_000, currency: 'CNY', reference: 'REF-2' });
    expect([ok.status, ok.body.amount, ok.body.sources]).toEqual([201, 1_000, [{ kind: 'credit-note', id: expect.any(String), amount: 1_000 }]]);
    expect((await call('GET', `/v1/customers/${alpha}/credit-balance`, undefined, 'collector')).body.currencies[0].amount).toBe(2_600);
  });

  it('auto-applies the credit balance to the next invoice when the customer policy says so (versioned per customer)', async () => {
    expect((await call('GET', `/v1/customers/${alpha}/receivables-policy`, undefined, 'collector')).body).toEqual({ customerId: alpha, version: 0, autoApplyCredit: false });
    const bad = await call('PUT', `/v1/customers/${alpha}/receivables-policy`, { autoApplyCredit: 'yes' });
    expect([bad.status, bad.body.errors.map((e: any) => e.field)]).toEqual([400, ['autoApplyCredit']]);
    const on = await call('PUT', `/v1/customers/${alpha}/receivables-policy`, { autoApplyCredit: true });
    expect([on.status, on.body]).toEqual([200, { customerId: alpha, version: 1, changed: true, autoApplyCredit: true, applied: [] }]);
    const again = await call('PUT', `/v1/customers/${alpha}/receivables-policy`, { autoApplyCredit: true });
    expect(again.body).toMatchObject({ version: 1, changed: false });
    const next = await issue(alpha, 10_000, '2026-02-01');
    expect((await call('GET', `/v1/invoices/${next.id}`, undefined, 'collector')).body).toMatchObject({ outstanding: 7_400, status: 'partially_paid' });
    expect((await call('GET', `/v1/customers/${alpha}/credit-balance`, undefined, 'collector')).body.currencies).toEqual([]);
    const applied = (await db.pool.query(`SELECT data FROM events WHERE event_type = 'CreditBalanceApplied'`)).rows.map((r) => r.data);
    expect(applied).toEqual([expect.objectContaining({ policyVersion: 1, trigger: `invoice ${next.number}`, applications: [expect.objectContaining({ invoiceId: next.id, amount: 2_600 })] })]);
    const [cny] = (await call('GET', `/v1/customers/${alpha}/statement?from=2026-01-01&to=2999-12-31`, undefined, 'collector')).body.currencies;
    expect(cny).toMatchObject({ openBalance: 7_400, creditBalance: 0, closingBalance: 7_400 });
  });

  it('matches a remittance paying the named invoices less "2%": each short-paid share stays open on its invoice, with why', async () => {
    const [x, y] = [await issue(beta, 20_000), await issue(beta, 10_000)];
    const r = await call('POST', '/v1/payments', payment({ amount: 29_400, remittance: `${x.number}, ${y.number} less 2%` }), 'collector');
    expect([r.status, r.body.customerId, r.body.unapplied, r.body.allocations]).toEqual([201, beta, 0, [
      { invoiceId: x.id, amount: 19_600, discount: 0, kind: 'payment' }, { invoiceId: y.id, amount: 9_800, discount: 0, kind: 'payment' }]]);
    expect(r.body.matching).toMatchObject({ deductionPercent: 2, deduction: { percent: 2, base: 30_000, amount: 600, earnedDiscount: 0, shortPaid: 600 },
      references: [{ invoiceId: x.id, outcome: 'applied', shortPaid: 400, why: expect.stringContaining('short payment') }, { invoiceId: y.id, outcome: 'applied', shortPaid: 200 }] });
    for (const [invoice, open] of [[x, 400], [y, 200]] as const) {
      expect((await call('GET', `/v1/invoices/${invoice.id}`, undefined, 'collector')).body).toMatchObject({ outstanding: open, status: 'partially_paid' });
    }
    inv.x = x;
    inv.y = y;
  });

  it('with autoApplyCredit, applies money a payment leaves unapplied to the open invoices at once, oldest due first', async () => {
    expect((await call('PUT', `/v1/customers/${beta}/receivables-policy`, { autoApplyCredit: true })).body).toMatchObject({ version: 1, changed: true, applied: [] });
    const other = (await db.pool.query(`SELECT data->>'invoiceId' AS id FROM events WHERE event_type = 'InvoiceIssued' AND data->>'customerId' = $1
      AND data->>'invoiceId' <> ALL($2) ORDER BY stream_version LIMIT 1`, [beta, [inv.x.id, inv.y.id]])).rows[0].id;
    const r = await call('POST', '/v1/payments', payment({ customerId: beta, amount: 1_600, allocations: [{ invoiceId: other, amount: 1_000 }] }), 'collector');
    expect([r.status, r.body.unapplied]).toEqual([201, 600]);
    const applied = (await db.pool.query(`SELECT data FROM events WHERE event_type = 'CreditBalanceApplied' AND data->>'customerId' = $1`, [beta])).rows.map((row) => row.data);
    expect(applied).toEqual([expect.objectContaining({ policyVersion: 1, trigger: `payment ${r.body.id}`, appliedOn: '2026-01-20', applications: [
      expect.objectContaining({ invoiceId: inv.x.id, amount: 400 }), expect.objectContaining({ invoiceId: inv.y.id, amount: 200 })] })]);
    for (const invoice of [inv.x, inv.y]) expect((await call('GET', `/v1/invoices/${invoice.id}`, undefined, 'collector')).body).toMatchObject({ outstanding: 0, status: 'paid' });
    expect((await call('GET', `/v1/customers/${beta}/credit-balance`, undefined, 'collector')).body.currencies).toEqual([]);
  });

  it('rebuilds the unmatched read model into identical rows, and publishes every event to Kafka', async () => {
    // The relay may still be behind the last commands on a loaded machine: all stored events published first.
    await pollUntil(async () => {
      const published = (await transport.endOffsets(eventsTopic('receivables', prefix))).reduce((n, p) => n + Number(p.offset), 0);
      return published === await countAll() || undefined;
    }, { what: 'every stored event published' });
    await pollUntil(async () => {
      const ends = (await transport.endOffsets(eventsTopic('receivables', prefix))).reduce((n, p) => n + Number(p.offset), 0);
      const { rows } = await db.pool.query(`SELECT coalesce(sum("offset" + 1), 0)::int AS n FROM consumer_checkpoints WHERE consumer = 'unapplied-payments'`);
      return rows[0].n === ends || undefined;
    }, { what: 'unapplied-payments caught up' });
    const snapshot = async () => (await db.pool.query('SELECT id, doc FROM unapplied_payments ORDER BY id')).rows;
    const live = await snapshot();
    expect(live.length).toBe(await count('PaymentReceived'));
    expect((await call('POST', '/v1/admin/projections/unapplied-payments/rebuild', undefined, 'admin')).status).toBe(202);
    await pollUntil(async () => (await call('GET', '/v1/admin/projections/unapplied-payments/rebuild', undefined, 'admin')).body.status === 'completed' || undefined,
      { what: 'rebuild of unapplied-payments', timeoutMs: 60_000 });
    expect(await snapshot()).toEqual(live);
    // The invoice documents and their SQL tables, after credit applied, deductions and later allocations.
    await pollUntil(async () => {
      const ends = (await transport.endOffsets(eventsTopic('receivables', prefix))).reduce((n, p) => n + Number(p.offset), 0);
      const { rows } = await db.pool.query(`SELECT coalesce(sum("offset" + 1), 0)::int AS n FROM consumer_checkpoints WHERE consumer = 'receivable-invoices'`);
      return rows[0].n === ends || undefined;
    }, { what: 'receivable-invoices caught up' });
    const invoices = async () => Promise.all(['receivable_invoices', ...['open', 'versions', 'totals', 'payers'].map((c) => `receivable_invoices_${c}`)]
      .map(async (table) => (await db.pool.query(`SELECT * FROM ${table} ORDER BY 1, 2`)).rows));
    const liveInvoices = await invoices();
    expect(liveInvoices[0].length).toBeGreaterThan(0);
    expect((await call('POST', '/v1/admin/projections/receivable-invoices/rebuild', undefined, 'admin')).status).toBe(202);
    await pollUntil(async () => (await call('GET', '/v1/admin/projections/receivable-invoices/rebuild', undefined, 'admin')).body.status === 'completed' || undefined,
      { what: 'rebuild of receivable-invoices', timeoutMs: 60_000 });
    expect(await invoices()).toEqual(liveInvoices);
    expect((await transport.endOffsets(eventsTopic('receivables', prefix))).reduce((n, p) => n + Number(p.offset), 0)).toBe(await countAll());
  });
});
