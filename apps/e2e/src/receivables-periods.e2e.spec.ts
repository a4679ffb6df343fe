import { randomUUID } from 'node:crypto';
import { eventsTopic } from '@crm/contracts';
import { KafkajsTransport, RecordedEvent, toKafkaMessage } from '@crm/eventing';
import { callApi, freshDatabase, kafkaBrokers, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, testTopicPrefix } from '@crm/testing';

const TZ = 'Asia/Shanghai';
const dateIn = (instant: number) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));

/**
 * Receivables' ledger discipline from outside: closed accounting periods, gapless invoice
 * numbers under concurrent writers, close-day refusing a date not yet over in the service's
 * time zone, and dunning stepping one level per business day on a late close.
 */
describe('receivables periods, numbering and dunning steps (process, real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let service: RunningService;
  let transport: KafkajsTransport;
  const prefix = testTopicPrefix('e2e');
  const customers = Array.from({ length: 8 }, () => randomUUID());
  const [debtor, payer] = [randomUUID(), randomUUID()];

  const registered = (customerId: string): RecordedEvent => ({
    id: randomUUID(), type: 'CustomerRegistered', schemaVersion: 1, data: { customerId, kind: 'company', legalName: `Co ${customerId.slice(0, 4)}`, tags: [] },
    occurredAt: '2026-01-01T00:00:00.000Z', streamId: `customer-${customerId}`, streamVersion: 1, partitionKey: customerId,
    globalPosition: '0', transactionId: '0', hash: '', metadata: { actor: { id: 'upstream', roles: ['admin'] }, correlationId: 'c', causationId: 'c' },
  });
  const call = (method: string, path: string, body?: unknown, role = 'credit_manager') => callApi(service.url, method, path, { body, role });
  const invoice = (customerId: string, issueDate: string, extra: object = {}) => ({
    customerId, currency: 'CNY', issueDate, lines: [{ description: 'Tea', quantity: 1, unitPrice: 10_000 }], terms: { type: 'net', days: 30 }, ...extra,
  });
  const count = async (type: string) => Number((await db.pool.query('SELECT count(*) FROM events WHERE event_type = $1', [type])).rows[0].count);

  beforeAll(async () => {
    db = await freshDatabase();
    transport = new KafkajsTransport({ brokers: kafkaBrokers(), clientId: 'periods-e2e', quiet: true });
    const topic = eventsTopic('customers', prefix);
    await transport.ensureTopics([{ topic, partitions: 3 }]);
    await transport.publish(topic, [...customers, debtor, payer].map((id) => toKafkaMessage(registered(id), 'crm.customers')));
    service = await startService('receivables', { DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_TOPIC_PARTITIONS: '3', AUTH_DEV_SECRET: TEST_AUTH_SECRET, BUSINESS_TIME_ZONE: TZ });
    await pollUntil(async () => (await db.pool.query('SELECT count(*)::int AS n FROM known_customers')).rows[0].n === customers.length + 2,
      { what: 'customers known to receivables' });
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await transport?.close();
    await db?.drop();
  });

  it('numbers invoices gapless and strictly increasing per year from 8 concurrent writers with random refusals', async () => {
    const issued: Array<{ number: string; issueDate: string }> = [];
    let refused = 0;
    await Promise.all(customers.map(async (customerId, writer) => {
      for (let i = 0; i < 8; i++) {
        const roll = Math.random();
        // Refused by the decider after the number was taken: an unknown customer (422), installments that do not sum (400).
        const body = roll < 0.15 ? invoice(randomUUID(), '2026-01-10')
          : roll < 0.3 ? invoice(customerId, '2026-01-10', { terms: { type: 'installments', schedule: [{ dueDate: '2026-02-10', amount: 1 }] } })
            : invoice(customerId, (writer + i) % 4 === 0 ? '2031-03-01' : '2026-01-10');
        const answer = await call('POST', '/v1/invoices', body, 'sales');
        if (answer.status === 201) issued.push({ number: answer.body.number, issueDate: body.issueDate });
        else {
          expect([400, 422]).toContain(answer.status);
          refused++;
        }
      }
    }));
    expect(refused).toBeGreaterThan(0);
    for (const year of ['2026', '2031']) {
      const numbers = issued.filter((i) => i.issueDate.startsWith(year)).map((i) => i.number).sort();
      expect(numbers.length).toBeGreaterThan(0);
      expect(numbers).toEqual(numbers.map((_, n) => `INV-${year}-${String(n + 1).padStart(6, '0')}`));
    }
    // In the order they were stored (each append held its series' row until it committed): increasing, no gap.
    const stored = (await db.pool.query(`SELECT data->>'number' AS number FROM events WHERE event_type = 'InvoiceIssued' ORDER BY recorded_at`)).rows
      .map((r) => r.number as string).filter((n) => n.startsWith('INV-2026-'));
    expect(stored).toEqual(stored.map((_, n) => `INV-2026-${String(n + 1).padStart(6, '0')}`));
  });

  it('closes a period: entries dated in it are refused naming the date field, an admin enters late with a reason', async () => {
    const early = await call('POST', '/v1/payments', { customerId: payer, amount: 5_000, currency: 'CNY', receivedOn: '2026-01-20', method: 'cash', reference: 'P-1' }, 'collector');
    expect(early.status).toBe(201);
    expect((await call('POST', '/v1/operations/close-period', { period: '2026-13' })).body).toMatchObject({ status: 400, errors: [{ field: 'period' }] });
    expect((await call('POST', '/v1/operations/close-period', { period: '2026-01' }, 'sales')).status).toBe(403);
    expect((await call('GET', '/v1/operations/close-period/2026-01')).body).toEqual({ period: '2026-01', closed: false, closedBy: null, closedOn: null });

    const closed = await call('POST', '/v1/operations/close-period', { period: '2026-01' });
    expect([closed.status, closed.body]).toEqual([200, { period: '2026-01', closed: true, closedBy: expect.any(String), closedOn: dateIn(Date.now()), alreadyClosed: false }]);
    const again = await call('POST', '/v1/operations/close-period', { period: '2026-01' });
    expect(again.body).toEqual({ ...closed.body, alreadyClosed: true });
    expect(await count('AccountingPeriodClosed')).toBe(1);

    const before = Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count);
    const refusals: Array<[string, string, unknown, string]> = [
      ['/v1/invoices', 'sales', invoice(payer, '2026-01-31'), 'issueDate'],
      ['/v1/payments', 'collector', { customerId: payer, amount: 1_000, currency: 'CNY', receivedOn: '2026-01-31', method: 'cash', reference: 'P-2' }, 'receivedOn'],
      [`/v1/payments/${early.body.id}/reverse`, 'collector', { reversedOn: '2026-01-31' }, 'reversedOn'],
    ];
    for (const [path, role, body, field] of refusals) {
      const answer = await call('POST', path, body, role);
      expect([answer.status, answer.body.type, answer.body.errors]).toEqual([422, expect.stringMatching(/period-closed$/), [expect.objectContaining({ field })]]);
    }
    // Nothing dated after today: a reversal (a bounce is recorded once it happened), a period not begun.
    const tomorrow = dateIn(Date.now() + 86_400_000);
    const bounceAhead = await call('POST', `/v1/payments/${early.body.id}/reverse`, { reversedOn: tomorrow }, 'collector');
    expect([bounceAhead.status, bounceAhead.body.type, bounceAhead.body.errors]).toEqual([422, expect.stringMatching(/reversal-date-in-future$/), [expect.objectContaining({ field: 'reversedOn' })]]);
    const [y, m] = dateIn(Date.now()).split('-').map(Number);
    const nextMonth = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    const periodAhead = await call('POST', '/v1/operations/close-period', { period: nextMonth });
    expect([periodAhead.status, periodAhead.body.type, periodAhead.body.errors]).toEqual([422, expect.stringMatching(/period-in-future$/), [expect.objectContaining({ field: 'period' })]]);
    const notAdmin = await call('POST', '/v1/invoices', invoice(payer, '2026-01-31', { lateEntryReason: 'forgot it' }), 'sales');
    expect([notAdmin.status, notAdmin.body.type, notAdmin.body.errors]).toEqual([403, expect.stringMatching(/late-entry-not-allowed$/), [expect.objectContaining({ field: 'lateEntryReason' })]]);
    expect(Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count)).toBe(before);

    const late = await call('POST', '/v1/invoices', invoice(payer, '2026-01-31', { lateEntryReason: 'supplier paperwork arrived in February' }), 'admin');
    expect([late.status, late.body.lateEntry]).toEqual([201, { period: '2026-01', reason: 'supplier paperwork arrived in February' }]);
    const stored = (await db.pool.query(`SELECT data, metadata FROM events WHERE event_type = 'InvoiceIssued' AND data->>'invoiceId' = $1`, [late.body.id])).rows[0];
    expect([stored.data.lateEntry, stored.metadata.actor.roles]).toEqual([{ period: '2026-01', reason: 'supplier paperwork arrived in February' }, ['admin']]);
    // February is open.
    expect((await call('POST', '/v1/invoices', invoice(payer, '2026-02-01'), 'sales')).status).toBe(201);

    // Money left unapplied in an open month (February), for a later allocation and a refund.
    const advance = await call('POST', '/v1/payments', { customerId: payer, amount: 700, currency: 'CNY', receivedOn: '2026-02-02', method: 'cash', reference: 'P-3', remittance: 'advance' }, 'collector');
    expect([advance.status, advance.body.unapplied]).toEqual([201, 700]);

    // Credit notes, later allocations and refunds are dated today: closing this month refuses them too.
    const month = dateIn(Date.now()).slice(0, 7);
    expect((await call('POST', '/v1/operations/close-period', { period: month })).status).toBe(200);
    const note = await call('POST', `/v1/invoices/${late.body.id}/credit-notes`, { amount: 100, reason: 'damaged' });
    expect([note.status, note.body.errors]).toEqual([422, [expect.objectContaining({ field: 'issuedOn' })]]);
    const lateNote = await call('POST', `/v1/invoices/${late.body.id}/credit-notes`, { amount: 100, reason: 'damaged', lateEntryReason: 'audit' }, 'admin');
    expect([lateNote.status, lateNote.body.lateEntry]).toEqual([201, { period: month, reason: 'audit' }]);
    const beforeLater = Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count);
    const allocation = { allocations: [{ invoiceId: late.body.id, amount: 200 }] };
    const allocated = await call('POST', `/v1/payments/${advance.body.id}/allocations`, allocation, 'collector');
    expect([allocated.status, allocated.body.type, allocated.body.errors]).toEqual([422, expect.stringMatching(/period-closed$/), [expect.objectContaining({ field: 'allocatedOn' })]]);
    const refunded = await call('POST', `/v1/customers/${payer}/refunds`, { amount: 100, currency: 'CNY', reference: 'R-1' });
    expect([refunded.status, refunded.body.type, refunded.body.errors]).toEqual([422, expect.stringMatching(/period-closed$/), [expect.objectContaining({ field: 'refundedOn' })]]);
    const notAdminRefund = await call('POST', `/v1/customers/${payer}/refunds`, { amount: 100, currency: 'CNY', reference: 'R-1', lateEntryReason: 'x' });
    expect([notAdminRefund.status, notAdminRefund.body.type]).toEqual([403, expect.stringMatching(/late-entry-not-allowed$/)]);
    expect(Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count)).toBe(beforeLater);
    const lateAllocation = await call('POST', `/v1/payments/${advance.body.id}/allocations`, { ...allocation, lateEntryReason: 'remittance advice found' }, 'admin');
    expect([lateAllocation.status, lateAllocation.body.unapplied, lateAllocation.body.lateEntry]).toEqual([200, 500, { period: month, reason: 'remittance advice found' }]);
    const lateRefund = await call('POST', `/v1/customers/${payer}/refunds`, { amount: 100, currency: 'CNY', reference: 'R-1', lateEntryReason: 'cheque sent' }, 'admin');
    expect([lateRefund.status, lateRefund.body.lateEntry]).toEqual([201, { period: month, reason: 'cheque sent' }]);
    const storedRefund = (await db.pool.query(`SELECT data FROM events WHERE event_type = 'CreditBalanceRefunded' AND data->>'refundId' = $1`, [lateRefund.body.id])).rows[0].data;
    expect(storedRefund.lateEntry).toEqual({ period: month, reason: 'cheque sent' });
  });

  it('refuses to close a business date that has not begun or ended in BUSINESS_TIME_ZONE; a late close steps dunning one level per day', async () => {
    const tomorrow = dateIn(Date.now() + 86_400_000);
    const future = await call('POST', '/v1/operations/close-day', { businessDate: tomorrow });
    expect([future.status, future.body.type, future.body.errors]).toEqual([422, expect.stringMatching(/business-date-in-future$/), [expect.objectContaining({ field: 'businessDate' })]]);
    expect(await count('BusinessDayClosed')).toBe(0);

    const { body: { id } } = await call('POST', '/v1/invoices', invoice(debtor, '2026-02-01'), 'sales'); // due 2026-03-03
    // A close 33 days late raises one level, dated the close; the next two closed days one more each.
    for (const businessDate of ['2026-04-05', '2026-04-06', '2026-04-07']) {
      const close = await call('POST', '/v1/operations/close-day', { businessDate });
      expect([close.status, close.body.status]).toEqual([200, 'completed']);
    }
    const steps = (await db.pool.query(
      `SELECT data FROM events WHERE event_type = 'DunningLevelRaised' AND data->>'invoiceId' = $1 ORDER BY stream_version`, [id])).rows.map((r) => r.data);
    expect(steps).toEqual([
      expect.objectContaining({ level: 1, previousLevel: 0, businessDate: '2026-04-05', daysOverdue: 33, action: 'reminder_email' }),
      expect.objectContaining({ level: 2, previousLevel: 1, businessDate: '2026-04-06', daysOverdue: 34, action: 'collector_call' }),
      expect.objectContaining({ level: 3, previousLevel: 2, businessDate: '2026-04-07', daysOverdue: 35, action: 'formal_demand_letter' }),
    ]);
    const view = (await call('GET', `/v1/invoices/${id}`, undefined, 'collector')).body;
    expect(view).toMatchObject({ dunningLevel: 3, overdueSince: '2026-04-05', dunningSteps: [
      { level: 1, action: 'reminder_email', on: '2026-04-05' }, { level: 2, action: 'collector_call', on: '2026-04-06' }, { level: 3, action: 'formal_demand_letter', on: '2026-04-07' }] });
    // The next level (60 days) is due on 2026-05-02, and not a day before.
    const levels = async () => (await db.pool.query(
      `SELECT data->>'businessDate' AS on FROM events WHERE event_type = 'DunningLevelRaised' AND data->>'invoiceId' = $1 ORDER BY stream_version`, [id])).rows.map((r) => r.on);
    expect((await call('POST', '/v1/operations/close-day', { businessDate: '2026-05-01' })).body.status).toBe('completed');
    expect(await levels()).toHaveLength(3);
    expect((await call('POST', '/v1/operations/close-day', { businessDate: '2026-05-02' })).body.status).toBe('completed');
    expect(await levels()).toEqual(['2026-04-05', '2026-04-06', '2026-04-07', '2026-05-02']);
  });

  it('rebuilds each read model into the rows it has live', async () => {
    const topics: Record<string, string> = { 'receivable-invoices': 'receivables', 'known-customers': 'customers' };
    // Everything appended is on Kafka first: a close's last events may still be on their way
    // to the broker when its run reports completed, and "caught up" would compare old ends.
    await pollUntil(async () => {
      const ends = (await transport.endOffsets(eventsTopic('receivables', prefix))).reduce((n, p) => n + Number(p.offset), 0);
      return ends === Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count) || undefined;
    }, { what: 'every event published', timeoutMs: 30_000 });
    for (const [name, source] of Object.entries(topics)) {
      await pollUntil(async () => {
        const ends = (await transport.endOffsets(eventsTopic(source as 'receivables', prefix))).reduce((n, p) => n + Number(p.offset), 0);
        const { rows } = await db.pool.query(`SELECT coalesce(sum("offset" + 1), 0)::int AS n FROM consumer_checkpoints WHERE consumer = $1`, [name]);
        return rows[0].n === ends;
      }, { what: `${name} caught up`, timeoutMs: 30_000 });
      const table = name.replace('-', '_');
      const snapshot = async () => (await db.pool.query(`SELECT id, doc FROM ${table} ORDER BY id`)).rows;
      const live = await snapshot();
      expect(live.length).toBeGreaterThan(0);
      expect((await call('POST', `/v1/admin/projections/${name}/rebuild`, undefined, 'admin')).status).toBe(202);
      await pollUntil(async () => (await call('GET', `/v1/admin/projections/${name}/rebuild`, undefined, 'admin')).body.status === 'completed' || undefined,
        { what: `rebuild of ${name}`, timeoutMs: 60_000 });
      expect(await snapshot()).toEqual(live);
    }
  });
});
