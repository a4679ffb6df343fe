import { randomUUID } from 'node:crypto';
import { eventsTopic } from '@crm/contracts';
import { KafkajsTransport, RecordedEvent, toKafkaMessage } from '@crm/eventing';
import {
  freshDatabase, kafkaBrokers, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, tokenFor, testTopicPrefix,
} from '@crm/testing';

/**
 * Credit and receivables as processes on one Kafka: receivables' own events (an invoice, a day
 * close that raises dunning to level 3, a payment) put the customer on credit hold and take it
 * off again, and receivables refuses, then accepts, invoices on credit's word. Customers'
 * registrations are published by hand on the customers topic, as customers would.
 */
describe('credit holds from real receivables events (two processes, real PostgreSQL + Kafka)', () => {
  let creditDb: TestDatabase;
  let receivablesDb: TestDatabase;
  let credit: RunningService;
  let receivables: RunningService;
  let transport: KafkajsTransport;
  const prefix = testTopicPrefix('e2e');
  const payer = randomUUID();

  const registered = (customerId: string): RecordedEvent => ({
    id: randomUUID(), type: 'CustomerRegistered', schemaVersion: 1, data: { customerId, kind: 'company', legalName: `Co ${customerId.slice(0, 4)}`, tags: [] },
    occurredAt: '2026-01-01T00:00:00.000Z', streamId: `customer-${customerId}`, streamVersion: 1, partitionKey: customerId,
    globalPosition: '0', transactionId: '0', hash: '', metadata: { actor: { id: 'upstream', roles: ['admin'] }, correlationId: 'c', causationId: 'c' },
  });

  beforeAll(async () => {
    [creditDb, receivablesDb] = await Promise.all([freshDatabase(), freshDatabase()]);
    transport = new KafkajsTransport({ brokers: kafkaBrokers(), clientId: 'credit-holds-e2e', quiet: true });
    const customers = eventsTopic('customers', prefix);
    await transport.ensureTopics([{ topic: customers, partitions: 3 }]);
    await transport.publish(customers, [toKafkaMessage(registered(payer), 'crm.customers')]);
    const env = { KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '3', AUTH_DEV_SECRET: TEST_AUTH_SECRET };
    [credit, receivables] = await Promise.all([
      startService('credit', { ...env, DATABASE_URL: creditDb.url }),
      startService('receivables', { ...env, DATABASE_URL: receivablesDb.url }),
    ]);
    await pollUntil(async () => {
      const [c, r] = await Promise.all([creditDb, receivablesDb].map((db) => db.pool.query('SELECT 1 FROM known_customers WHERE id = $1', [payer])));
      return c.rowCount === 1 && r.rowCount === 1;
    }, { what: 'the customer known to credit and receivables' });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([credit?.stop(), receivables?.stop()]);
    await transport?.close();
    await Promise.all([creditDb?.drop(), receivablesDb?.drop()]);
  });

  async function call(service: RunningService, method: string, path: string, body?: unknown, role = 'credit_manager', subject?: string) {
    const response = await fetch(`${service.url}${path}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(role, subject)}` },
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }
  const position = async (asOf?: string) =>
    (await call(credit, 'GET', `/v1/credit/customers/${payer}${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`, undefined, 'auditor')).body;
  /** The position once `ready` holds, and the instant right after it was read. */
  async function settled(ready: (p: any) => boolean, what: string): Promise<{ seen: any; at: string }> {
    const seen = await pollUntil(async () => {
      const p = await position();
      return p?.customerId && ready(p) ? p : undefined;
    }, { what });
    return { seen, at: new Date().toISOString() };
  }
  const invoice = (days: number, issueDate = '2026-01-01') => ({
    customerId: payer, currency: 'CNY', issueDate, lines: [{ description: 'Longjing tea', quantity: 1, unitPrice: 100_000 }], terms: { type: 'net', days },
  });
  const steps: Array<{ seen: any; at: string }> = [];

  it('approves a limit with payment terms, which receivables then enforces', async () => {
    expect((await call(credit, 'POST', `/v1/credit/customers/${payer}/financials`,
      { annualRevenue: 20_000_000_000, debtRatio: 0.4, currentRatio: 2.2, yearsInBusiness: 15, asOf: '2025-12-31' })).status).toBe(201);
    const assessment = await call(credit, 'POST', `/v1/credit/customers/${payer}/assessments`);
    expect([assessment.status, assessment.body.grade]).toEqual([201, 'B']);
    const request = await call(credit, 'POST', '/v1/credit/limit-requests',
      { customerId: payer, amount: 1_000_000, currency: 'CNY', paymentTermsDays: 30, reason: 'tea distributor' }, 'sales', 'sales-1');
    const approved = await call(credit, 'POST', `/v1/credit/limit-requests/${request.body.id}/approve`, {}, 'credit_manager', 'cm-1');
    expect([approved.status, approved.body.status, approved.body.paymentTermsDays]).toEqual([200, 'approved', 30]);
    steps.push(await settled((p) => p.limit?.amount === 1_000_000, 'the limit in the position'));

    await pollUntil(async () => (await receivablesDb.pool.query(`SELECT doc FROM credit_positions WHERE id = $1`, [payer])).rows[0]?.doc.paymentTermsDays === 30,
      { what: 'receivables\' copy of the approved terms' });
    const longer = await call(receivables, 'POST', '/v1/invoices', invoice(45), 'sales');
    expect(longer.body).toMatchObject({ type: expect.stringMatching(/terms-exceed-credit-terms$/), errors: [{ field: 'terms.days' }] });
    expect((await call(receivables, 'POST', '/v1/invoices', invoice(30), 'sales')).status).toBe(201);
    steps.push(await settled((p) => p.exposure === 100_000, 'the invoice in the exposure'));
    expect(steps[1].seen).toMatchObject({ available: 900_000, onHold: false, currency: 'CNY' });
  });

  it('puts the customer on hold at dunning level 3, citing the receivables event, and receivables refuses invoices', async () => {
    // The first close, 30 days late, raises one level; each further closed business day one more,
    // so level 3 (credit's 'dunning level >= 3') comes with the third consecutive close.
    for (const [businessDate, level] of [['2026-03-02', 1], ['2026-03-03', 2], ['2026-03-04', 3]] as const) {
      const close = await call(receivables, 'POST', '/v1/operations/close-day', { businessDate });
      expect([close.body.status, close.body.recorded]).toEqual(['completed', expect.objectContaining({ DunningLevelRaised: 1 })]);
      if (level < 3) expect((await position()).onHold).toBe(false);
    }
    const held = await settled((p) => p.onHold, 'the automatic hold');
    expect(held.seen.holdCauses).toEqual(['dunning-level']);
    steps.push(held);

    const dunning = (await receivablesDb.pool.query(`SELECT event_id::text FROM events WHERE event_type = 'DunningLevelRaised' AND (data->>'level')::int = 3`)).rows[0].event_id;
    const decisions = (await call(credit, 'GET', `/v1/credit/customers/${payer}/decisions`, undefined, 'auditor')).body.items;
    const placed = decisions.find((d: any) => d.decision === 'hold-placed');
    expect(placed).toMatchObject({ by: 'policy:credit-hold', automatic: true, policyVersion: 0, facts: expect.arrayContaining([dunning]),
      inputs: expect.objectContaining({ worstDunningLevel: 3, rules: expect.objectContaining({ dunningLevel: 3 }) }) });

    const refused = await pollUntil(async () => {
      const r = await call(receivables, 'POST', '/v1/invoices', invoice(30, '2026-03-02'), 'sales');
      return r.status === 422 ? r : undefined;
    }, { what: 'receivables refusing on credit hold' });
    expect(refused.body.type).toMatch(/credit-hold$/);
  });

  it('releases the hold after payment in full, and receivables accepts invoices again', async () => {
    const paid = await call(receivables, 'POST', '/v1/payments',
      { customerId: payer, amount: 100_000, currency: 'CNY', receivedOn: '2026-03-05', method: 'bank_transfer', reference: 'B-9' }, 'collector');
    expect(paid.status).toBe(201);
    steps.push(await settled((p) => !p.onHold && p.exposure === 0, 'the automatic release'));
    const released = (await call(credit, 'GET', `/v1/credit/customers/${payer}/decisions`, undefined, 'auditor')).body.items
      .find((d: any) => d.decision === 'hold-released');
    const payment = (await receivablesDb.pool.query(`SELECT event_id::text FROM events WHERE event_type = 'PaymentReceived'`)).rows[0].event_id;
    expect(released).toMatchObject({ automatic: true, facts: [payment], outcome: { cleared: [expect.objectContaining({ code: 'dunning-level' })] } });

    const accepted = await pollUntil(async () => {
      const r = await call(receivables, 'POST', '/v1/invoices', invoice(30, '2026-03-06'), 'sales');
      return r.status === 201 ? r : undefined;
    }, { what: 'receivables accepting invoices again' });
    expect(accepted.body.total).toBe(100_000);
    await settled((p) => p.exposure === 100_000, 'the new invoice in the exposure');
  });

  it('answers ?asOf= with the position as it was recorded at each step', async () => {
    const before = await position('2020-01-01T00:00:00Z');
    expect(before).toMatchObject({ score: null, limit: null, exposure: 0, onHold: false, version: 0 });
    for (const step of steps) {
      const { asOf, ...then } = await position(step.at);
      expect(asOf).toBe(step.at);
      expect(then).toEqual(step.seen);
    }
    expect(steps.map((s) => [s.seen.onHold, s.seen.exposure])).toEqual([[false, 0], [false, 100_000], [true, 100_000], [false, 0]]);
  });

  it('keeps earlier decisions as they were when a later policy is replayed, and rebuilds equal the live read models', async () => {
    const changed = await call(credit, 'PUT', '/v1/credit/policy', { holdRules: { dunningLevel: 4 }, gradeCutoffs: { B: 60 } }, 'admin');
    expect([changed.status, changed.body.version]).toEqual([200, 1]);
    const names: Record<string, string> = {
      'credit-positions': 'credit_positions', 'credit-decisions': 'credit_decisions', 'credit-exposure-changes': 'credit_exposure_changes',
    };
    const topics = ['credit', 'customers', 'receivables'] as const;
    // Everything published so far is applied (compare with a complete live model).
    await pollUntil(async () => {
      const ends = await Promise.all(topics.map(async (t) => (await transport.endOffsets(eventsTopic(t, prefix))).reduce((n, p) => n + Number(p.offset), 0)));
      const { rows } = await creditDb.pool.query(
        `SELECT consumer, coalesce(sum("offset" + 1), 0)::int AS n FROM consumer_checkpoints WHERE consumer = ANY($1) GROUP BY 1`, [Object.keys(names)]);
      const applied = Object.fromEntries(rows.map((r) => [r.consumer, r.n]));
      return applied['credit-positions'] === ends[0] + ends[1] + ends[2] && applied['credit-decisions'] === ends[0] && applied['credit-exposure-changes'] === ends[2];
    }, { what: 'credit read models caught up' });
    const decisionsBefore = (await call(credit, 'GET', `/v1/credit/customers/${payer}/decisions`, undefined, 'auditor')).body;
    for (const [name, table] of Object.entries(names)) {
      const snapshot = async () => (await creditDb.pool.query(`SELECT id, doc FROM ${table} ORDER BY id`)).rows;
      const live = await snapshot();
      expect((await call(credit, 'POST', `/v1/admin/projections/${name}/rebuild`, undefined, 'admin')).status).toBe(202);
      await pollUntil(async () => (await call(credit, 'GET', `/v1/admin/projections/${name}/rebuild`, undefined, 'admin')).body.status === 'completed' || undefined,
        { what: `rebuild of ${name}`, timeoutMs: 60_000 });
      expect(await snapshot()).toEqual(live);
    }
    const decisionsAfter = (await call(credit, 'GET', `/v1/credit/customers/${payer}/decisions`, undefined, 'auditor')).body;
    expect(decisionsAfter).toEqual(decisionsBefore);
    expect(decisionsAfter.items.map((d: any) => [d.decision, d.policyVersion])).toEqual([
      ['assessment', 0], ['limit-approval', 0], ['hold-placed', 0], ['hold-released', 0]]);
    expect((await position()).grade).toBe('B');
  });
  it('counts days overdue at credit\'s own day close, where no receivables event reports the time passing', async () => {
    // The invoice of 2026-03-06 falls due on 2026-04-05; nothing happens on it afterwards.
    await pollUntil(async () => (await creditDb.pool.query('SELECT oldest_unpaid_due FROM credit_receivables_facts WHERE customer_id = $1', [payer]))
      .rows[0]?.oldest_unpaid_due === '2026-04-05', { what: 'credit\'s copy of the new invoice' });
    const notYet = await call(credit, 'POST', '/v1/operations/close-day', { businessDate: '2026-06-04' });
    expect([notYet.status, notYet.body.recorded]).toEqual([200, {}]);
    const close = await call(credit, 'POST', '/v1/operations/close-day', { businessDate: '2026-06-05' });
    expect([close.status, close.body.recorded]).toEqual([200, { CreditHoldPlaced: 1 }]);
    expect((await settled((p) => p.onHold, 'the overdue hold')).seen.holdCauses).toEqual(['invoice-overdue']);
    const placed = (await call(credit, 'GET', `/v1/credit/customers/${payer}/decisions`, undefined, 'auditor')).body.items.at(-1);
    expect(placed).toMatchObject({ decision: 'hold-placed', by: 'policy:credit-hold', policyVersion: 1,
      inputs: { asOfDate: '2026-06-05', daysOverdue: 61, oldestUnpaidDueDate: '2026-04-05' } });
  });

  it('cites the exposure\'s events when a lower limit puts exposure over it', async () => {
    const request = await call(credit, 'POST', '/v1/credit/limit-requests',
      { customerId: payer, amount: 50_000, currency: 'CNY', paymentTermsDays: 30, reason: 'cut back' }, 'sales', 'sales-1');
    const approved = await call(credit, 'POST', `/v1/credit/limit-requests/${request.body.id}/approve`, {}, 'credit_manager', 'cm-1');
    expect([approved.status, approved.body.status]).toEqual([200, 'approved']);
    const open = (await receivablesDb.pool.query(`SELECT event_id::text FROM events WHERE event_type = 'InvoiceIssued' AND data->>'issueDate' = '2026-03-06'`)).rows[0].event_id;
    const changed = await pollUntil(async () => (await call(credit, 'GET', `/v1/credit/customers/${payer}/decisions`, undefined, 'auditor')).body.items
      .find((d: any) => d.decision === 'hold-causes-changed'), { what: 'the hold\'s new cause in the decisions' });
    expect(changed).toMatchObject({ decision: 'hold-causes-changed', facts: expect.arrayContaining([open]),
      outcome: { causes: expect.arrayContaining([expect.objectContaining({ code: 'exposure-over-limit', eventIds: [open] })]) } });
    expect((await settled((p) => p.limit?.amount === 50_000, 'the lower limit')).seen).toMatchObject({ exposure: 100_000, available: 0 });
  });

  it('assesses with days overdue counted to the date the hold rule used (credit\'s closed day): the two views agree', async () => {
    const assessed = await call(credit, 'POST', `/v1/credit/customers/${payer}/assessments`);
    expect(assessed.status).toBe(201);
    expect(assessed.body.inputs.paymentHistory).toMatchObject({ asOfDate: '2026-06-05', worstDaysOverdue: 61 });
  });

  it('keeps the lateness a written-off invoice showed in the next assessment', async () => {
    const debtor = randomUUID();
    await transport.publish(eventsTopic('customers', prefix), [toKafkaMessage(registered(debtor), 'crm.customers')]);
    await pollUntil(async () => {
      const [c, r] = await Promise.all([creditDb, receivablesDb].map((db) => db.pool.query('SELECT 1 FROM known_customers WHERE id = $1', [debtor])));
      return c.rowCount === 1 && r.rowCount === 1;
    }, { what: 'the debtor known to credit and receivables' });
    const today = new Date().toISOString().slice(0, 10);
    const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
    // Net 30 from 211 days ago: 181 days overdue today, when the write-off is approved.
    const issued = await call(receivables, 'POST', '/v1/invoices', { ...invoice(30, day(-211)), customerId: debtor }, 'sales');
    expect(issued.status).toBe(201);
    const request = await call(receivables, 'POST', `/v1/invoices/${issued.body.id}/write-off-requests`, { reason: 'insolvent' }, 'credit_manager', 'manager-1');
    expect(request.status).toBe(201);
    expect((await call(receivables, 'POST', `/v1/write-off-requests/${request.body.id}/approve`, undefined, 'credit_manager', 'manager-2')).status).toBe(200);
    await pollUntil(async () => (await creditDb.pool.query(
      `SELECT 1 FROM credit_receivables_facts WHERE customer_id = $1 AND (facts->'invoices'->$2->>'writtenOff')::bigint > 0`, [debtor, issued.body.id])).rowCount === 1,
    { what: 'credit\'s copy of the write-off' });
    const assessed = await call(credit, 'POST', `/v1/credit/customers/${debtor}/assessments`);
    expect([assessed.status, assessed.body.inputs.paymentHistory]).toEqual([201, expect.objectContaining({ worstDaysOverdue: 181, writeOffs: 1 })]);
  });
});
