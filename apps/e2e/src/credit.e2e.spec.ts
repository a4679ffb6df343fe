import { randomUUID } from 'node:crypto';
import { CloudEvent, Kafka as CloudEventsKafka } from 'cloudevents';
import { eventsTopic } from '@crm/contracts';
import { KafkajsTransport, RecordedEvent, toKafkaMessage } from '@crm/eventing';
import {
  freshDatabase, kafkaBrokers, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, tokenFor, testTopicPrefix,
} from '@crm/testing';

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
/** A year on (Feb 29 → Feb 28), as credit dates reviews. */
const nextYear = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`);
  const target = new Date(Date.UTC(d.getUTCFullYear() + 1, d.getUTCMonth(), 1));
  target.setUTCDate(Math.min(d.getUTCDate(), new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()));
  return target.toISOString().slice(0, 10);
};

/**
 * Credit from outside: HTTP in, events on Kafka out. Customers' registrations arrive as real
 * events of their published contract on the customers topic.
 */
describe('credit service (process, real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let service: RunningService;
  let transport: KafkajsTransport;
  const prefix = testTopicPrefix('e2e');
  const [fresh, steady, large, held, spot, stranger] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const today = new Date().toISOString().slice(0, 10);

  const registered = (customerId: string): RecordedEvent => ({
    id: randomUUID(), type: 'CustomerRegistered', schemaVersion: 1, data: { customerId, kind: 'company', legalName: `Co ${customerId.slice(0, 4)}`, tags: [] },
    occurredAt: '2026-01-01T00:00:00.000Z', streamId: `customer-${customerId}`, streamVersion: 1, partitionKey: customerId,
    globalPosition: '0', transactionId: '0', hash: '', metadata: { actor: { id: 'upstream', roles: ['admin'] }, correlationId: 'c', causationId: 'c' },
  });

  beforeAll(async () => {
    db = await freshDatabase();
    transport = new KafkajsTransport({ brokers: kafkaBrokers(), clientId: 'credit-e2e', quiet: true });
    const customers = eventsTopic('customers', prefix);
    await transport.ensureTopics([{ topic: customers, partitions: 3 }]);
    await transport.publish(customers, [fresh, steady, large, held, spot].map((id) => toKafkaMessage(registered(id), 'crm.customers')));
    service = await startService('credit', { DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_TOPIC_PARTITIONS: '3', AUTH_DEV_SECRET: TEST_AUTH_SECRET, BUSINESS_TIME_ZONE: 'UTC' });
    await pollUntil(async () => (await db.pool.query('SELECT count(*)::int AS n FROM known_customers')).rows[0].n === 5, { what: 'customers known to credit' });
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await transport?.close();
    await db?.drop();
  });

  async function call(method: string, path: string, body?: unknown, role = 'credit_manager', subject?: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${service.url}${path}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(role, subject)}`, ...headers },
    });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
  }
  const events = async (type?: string) => Number((await db.pool.query(
    `SELECT count(*) FROM events WHERE $1::text IS NULL OR event_type = $1`, [type ?? null])).rows[0].count);
  const fieldsOf = (r: { body: any }) => r.body.errors?.map((e: any) => e.field);
  const strong = { annualRevenue: 20_000_000_000, debtRatio: 0.4, currentRatio: 2.5, yearsInBusiness: 12, asOf: '2025-12-31' };
  const request = (customerId: string, amount: number, paymentTermsDays: number, subject = 'sales-1', role = 'sales') =>
    call('POST', '/v1/credit/limit-requests', { customerId, amount, currency: 'CNY', paymentTermsDays, reason: 'distributor' }, role, subject);
  const approve = (id: string, subject: string) => call('POST', `/v1/credit/limit-requests/${id}/approve`, undefined, 'credit_manager', subject);

  it('refuses bad input naming each field, unknown customers (422) and requests (404), appending nothing', async () => {
    const ratios = await call('POST', `/v1/credit/customers/${steady}/financials`, { ...strong, annualRevenue: 10.5, debtRatio: 11, currentRatio: -1 });
    expect([ratios.status, ratios.type, fieldsOf(ratios)]).toEqual([400, expect.stringMatching(/problem\+json/), ['annualRevenue', 'debtRatio', 'currentRatio']]);
    expect(fieldsOf(await call('POST', `/v1/credit/customers/${steady}/financials`, { ...strong, currentRatio: 101, yearsInBusiness: 501, asOf: '2025-02-30' })))
      .toEqual(['currentRatio', 'yearsInBusiness', 'asOf']);
    expect(fieldsOf(await call('POST', `/v1/credit/customers/not-a-uuid/financials`, strong))).toEqual(['customerId']);
    for (const [patch, field] of [[{ currency: 'cny' }, 'currency'], [{ currency: 'XYZ' }, 'currency'], [{ amount: -5 }, 'amount'], [{ amount: 1.5 }, 'amount'],
      [{ paymentTermsDays: -1 }, 'paymentTermsDays'], [{ reason: '' }, 'reason'], [{ extra: 1 }, 'extra']] as const) {
      const r = await call('POST', '/v1/credit/limit-requests', { customerId: steady, amount: 1_000, currency: 'CNY', paymentTermsDays: 30, reason: 'x', ...patch }, 'sales');
      expect([JSON.stringify(patch), r.status, fieldsOf(r)]).toEqual([JSON.stringify(patch), 400, [field]]);
    }
    const unknown = await call('POST', '/v1/credit/limit-requests', { customerId: stranger, amount: 1_000, currency: 'CNY', paymentTermsDays: 30, reason: 'x' }, 'sales');
    expect([unknown.status, unknown.body.type, fieldsOf(unknown)]).toEqual([422, expect.stringMatching(/unknown-customer$/), ['customerId']]);
    expect((await call('POST', `/v1/credit/customers/${stranger}/financials`, strong)).body.type).toMatch(/unknown-customer$/);
    expect((await call('POST', `/v1/credit/customers/${stranger}/assessments`)).status).toBe(422);
    const missing = await approve(randomUUID(), 'cm-1');
    expect([missing.status, missing.body.type]).toEqual([404, expect.stringMatching(/limit-request-not-found$/)]);
    expect(fieldsOf(await approve('nope', 'cm-1'))).toEqual(['id']);
    const noHold = await call('POST', `/v1/credit/customers/${steady}/holds/release`, { reason: 'nothing' });
    expect([noHold.status, noHold.body.type]).toEqual([409, expect.stringMatching(/no-credit-hold$/)]);
    expect((await call('GET', `/v1/credit/customers/${stranger}`, undefined, 'auditor')).status).toBe(404);
    expect(fieldsOf(await call('GET', `/v1/credit/customers/${steady}?asOf=2026-01-01`, undefined, 'auditor'))).toEqual(['asOf']);
    expect(fieldsOf(await call('GET', '/v1/credit/watchlist?reason=late', undefined, 'auditor'))).toEqual(['reason']);
    expect(fieldsOf(await call('GET', '/v1/credit/limit-requests?status=open&limit=0')).sort()).toEqual(['limit', 'status']);
    expect((await call('POST', '/v1/credit/limit-requests', { customerId: steady, amount: 1, currency: 'CNY', paymentTermsDays: 1, reason: 'x' }, 'collector')).status).toBe(403);
    expect(await events()).toBe(0);
  });

  it('grades a customer with no history and no financials, the factors saying so', async () => {
    const assessed = await call('POST', `/v1/credit/customers/${fresh}/assessments`);
    expect(assessed.status).toBe(201);
    expect(assessed.body).toMatchObject({ score: 33, grade: 'D', policyVersion: 0 });
    expect(assessed.body.factors.reduce((n: number, f: any) => n + f.points, 0)).toBe(33);
    expect(assessed.body.factors.map((f: any) => f.note)).toEqual(expect.arrayContaining(['no payment history: neutral points', 'no financials on record: no points']));
    const id = (await request(fresh, 10_000, 0)).body.id;
    const d = await approve(id, 'cm-1');
    expect([d.status, d.body.type, fieldsOf(d)]).toEqual([422, expect.stringMatching(/grade-allows-no-credit$/), ['paymentTermsDays']]);
  });

  it('keeps maker and checker apart, refuses terms above the grade\'s maximum, and decides each request once', async () => {
    expect((await call('POST', `/v1/credit/customers/${steady}/financials`, strong)).status).toBe(201);
    expect((await call('POST', `/v1/credit/customers/${steady}/assessments`)).body).toMatchObject({ score: 68, grade: 'B' });
    const tooLong = await request(steady, 50_000_000, 60);
    expect([tooLong.status, tooLong.body.status]).toEqual([201, 'pending']);
    const refused = await approve(tooLong.body.id, 'cm-1');
    expect([refused.status, refused.body.type, fieldsOf(refused), refused.body.maxPaymentTermsDays]).toEqual([422, expect.stringMatching(/terms-exceed-grade-maximum$/), ['paymentTermsDays'], 45]);

    const own = await request(steady, 50_000_000, 45, 'cm-1', 'credit_manager');
    const self = await approve(own.body.id, 'cm-1');
    expect([self.status, self.body.type]).toEqual([403, expect.stringMatching(/separation-of-duties$/)]);
    const approved = await approve(own.body.id, 'cm-2');
    expect(approved.body).toMatchObject({ status: 'approved', limit: { amount: 50_000_000, currency: 'CNY' }, paymentTermsDays: 45, grade: 'B', policyVersion: 0 });
    const twice = await approve(own.body.id, 'cm-3');
    expect([twice.status, twice.body.type]).toEqual([409, expect.stringMatching(/limit-request-already-decided$/)]);

    const rejected = await call('POST', `/v1/credit/limit-requests/${tooLong.body.id}/reject`, { reason: 'terms too long' }, 'credit_manager', 'cm-2');
    expect([rejected.status, rejected.body.status]).toEqual([200, 'rejected']);
    expect((await approve(tooLong.body.id, 'cm-3')).status).toBe(409);
    expect((await call('POST', `/v1/credit/limit-requests/${tooLong.body.id}/reject`, { reason: 'again' })).status).toBe(409);
    const position = await pollUntil(async () => {
      const p = (await call('GET', `/v1/credit/customers/${steady}`, undefined, 'sales')).body;
      return p.limit ? p : undefined;
    }, { what: 'the approved limit in the position' });
    expect(position).toMatchObject({ score: 68, grade: 'B', limit: { amount: 50_000_000, currency: 'CNY' }, paymentTermsDays: 45, exposure: 0,
      available: 50_000_000, onHold: false, holdCauses: [], nextReviewOn: nextYear(today) });
  });

  it('needs a second, different approver above the threshold, and lists what waits for approval', async () => {
    await call('POST', `/v1/credit/customers/${large}/financials`, strong);
    await call('POST', `/v1/credit/customers/${large}/assessments`);
    const big = await request(large, 150_000_000, 30);
    const first = await approve(big.body.id, 'cm-1');
    expect([first.status, first.body.status]).toEqual([200, 'awaiting-second-approval']);
    const waiting = await pollUntil(async () => {
      const r = (await call('GET', '/v1/credit/limit-requests?status=awaiting-second-approval')).body;
      return r.items.length === 1 ? r : undefined;
    }, { what: 'the pending approvals list' });
    expect(waiting.items[0]).toMatchObject({ id: big.body.id, customerId: large, status: 'awaiting-second-approval', approvals: [{ by: 'cm-1', on: today }] });
    expect((await approve(big.body.id, 'cm-1')).body.type).toMatch(/separation-of-duties$/);
    expect((await approve(big.body.id, 'cm-2')).body).toMatchObject({ status: 'approved', approvers: ['cm-1', 'cm-2'] });
    await pollUntil(async () => {
      const pending = (await call('GET', '/v1/credit/limit-requests')).body.items.map((r: any) => r.customerId);
      return pending.length === 1 && pending[0] === fresh;
    }, { what: 'only the undecided request still pending' });
  });

  it('grades a customer on the spot when a limit is approved without an assessment on record', async () => {
    await call('POST', `/v1/credit/customers/${spot}/financials`, strong);
    const id = (await request(spot, 2_000_000, 45)).body.id;
    expect((await call('POST', `/v1/credit/limit-requests/${id}/approve`, { reason: 'graded now' }, 'credit_manager', 'cm-1')).body)
      .toMatchObject({ status: 'approved', grade: 'B', paymentTermsDays: 45 });
    expect(await events('CreditAssessed')).toBe(4);
  });

  it('answers a repeated Idempotency-Key with the first response and records once', async () => {
    const key = randomUUID();
    const body = { customerId: held, amount: 5_000, currency: 'CNY', paymentTermsDays: 30, reason: 'samples' };
    const first = await call('POST', '/v1/credit/limit-requests', body, 'sales', 'sales-1', { 'Idempotency-Key': key });
    const again = await call('POST', '/v1/credit/limit-requests', body, 'sales', 'sales-1', { 'Idempotency-Key': key });
    expect([first.status, again.body]).toEqual([201, first.body]);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM events WHERE event_type = 'CreditLimitRequested' AND partition_key = $1`, [held])).rows[0].n).toBe(1);
  });

  it('holds and releases manually, with the hold on the watchlist meanwhile', async () => {
    const placed = await call('POST', `/v1/credit/customers/${held}/holds`, { reason: 'fraud alert' });
    expect([placed.status, placed.body.onHold, placed.body.holdCauses]).toEqual([201, true, ['manual']]);
    expect((await call('POST', `/v1/credit/customers/${held}/holds`, { reason: 'again' })).status).toBe(409);
    const listed = await pollUntil(async () => {
      const r = (await call('GET', '/v1/credit/watchlist?reason=on-hold')).body;
      return r.items.length === 1 ? r : undefined;
    }, { what: 'the hold on the watchlist' });
    expect(listed.items[0]).toMatchObject({ customerId: held, reasons: ['on-hold'], holdCauses: ['manual'] });
    const released = await call('POST', `/v1/credit/customers/${held}/holds/release`, { reason: 'confirmed by phone' });
    expect([released.status, released.body.onHold]).toEqual([200, false]);
    await pollUntil(async () => (await call('GET', '/v1/credit/watchlist?reason=on-hold')).body.items.length === 0, { what: 'the release' });
    const decisions = (await call('GET', `/v1/credit/customers/${held}/decisions`, undefined, 'auditor')).body.items;
    expect(decisions.map((d: any) => [d.decision, d.by, d.automatic, d.why])).toEqual([
      ['hold-placed', 'test-credit_manager', false, 'fraud alert'], ['hold-released', 'test-credit_manager', false, 'confirmed by phone']]);
  });

  it('records a new policy version that later decisions cite and earlier ones keep', async () => {
    const current = (await call('GET', '/v1/credit/policy')).body;
    expect(current).toMatchObject({ version: 0, gradeCutoffs: { A: 80, B: 65, C: 50 }, maxPaymentTermsDays: { A: 60, B: 45, C: 30, D: 0 }, secondApproverThreshold: 100_000_000 });
    expect((await call('PUT', '/v1/credit/policy', { gradeCutoffs: { C: 30 } })).status).toBe(403);
    const incoherent = await call('PUT', '/v1/credit/policy', { scoringWeights: { onTimeRatio: 90 } }, 'admin');
    expect([incoherent.status, fieldsOf(incoherent)]).toEqual([400, ['scoringWeights']]);
    expect(fieldsOf(await call('PUT', '/v1/credit/policy', { gradeCutoffs: { C: 'low' } }, 'admin'))).toEqual(['gradeCutoffs.C']);
    const changed = await call('PUT', '/v1/credit/policy', { gradeCutoffs: { C: 30 } }, 'admin');
    expect(changed.body).toMatchObject({ version: 1, changed: true, gradeCutoffs: { A: 80, B: 65, C: 30 } });
    expect((await call('PUT', '/v1/credit/policy', { gradeCutoffs: { C: 30 } }, 'admin')).body).toMatchObject({ version: 1, changed: false });
    const reassessed = await call('POST', `/v1/credit/customers/${fresh}/assessments`);
    expect(reassessed.body).toMatchObject({ score: 33, grade: 'C', policyVersion: 1 });
    const decisions = await pollUntil(async () => {
      const items = (await call('GET', `/v1/credit/customers/${fresh}/decisions`, undefined, 'auditor')).body.items;
      return items.length === 2 ? items : undefined;
    }, { what: 'both assessments in the decision history' });
    expect(decisions.map((d: any) => [d.decision, d.outcome.grade, d.policyVersion])).toEqual([['assessment', 'D', 0], ['assessment', 'C', 1]]);
  });

  it('closes a day: reviews of limits a year old become due once, and show on the watchlist', async () => {
    const due = nextYear(today);
    const before = await call('POST', '/v1/operations/close-day', { businessDate: addDays(due, -1) });
    expect([before.status, before.body.recorded]).toEqual([200, {}]);
    const close = await call('POST', '/v1/operations/close-day', { businessDate: due });
    expect([close.status, close.body.status, close.body.recorded]).toEqual([200, 'completed', { CreditReviewBecameDue: 3 }]);
    const again = await call('POST', '/v1/operations/close-day', { businessDate: due });
    expect(again.body).toMatchObject({ alreadyClosed: true, recorded: {} });
    const backwards = await call('POST', '/v1/operations/close-day', { businessDate: addDays(due, -2) });
    expect([backwards.status, backwards.body.type]).toEqual([409, expect.stringMatching(/business-date-before-last-closed$/)]);
    expect(await events('CreditReviewBecameDue')).toBe(3);
    const reviews = await pollUntil(async () => {
      const r = (await call('GET', '/v1/credit/watchlist?reason=review-due&limit=2')).body;
      return r.nextCursor ? r : undefined;
    }, { what: 'reviews due on the watchlist' });
    const next = (await call('GET', `/v1/credit/watchlist?reason=review-due&limit=2&cursor=${reviews.nextCursor}`)).body;
    expect([...reviews.items, ...next.items].map((i: any) => i.customerId).sort()).toEqual([steady, large, spot].sort());
    expect(next.nextCursor).toBeNull();
    expect((await call('GET', `/v1/credit/customers/${steady}`, undefined, 'auditor')).body.reviewDue).toBe(true);
  });

  it('rebuilds every read model into identical rows', async () => {
    const names: Record<string, string> = {
      'credit-positions': 'credit_positions', 'credit-decisions': 'credit_decisions', 'credit-limit-requests': 'credit_limit_requests',
      'known-customers': 'known_customers', 'credit-exposure-changes': 'credit_exposure_changes',
    };
    const stored = await events();
    await pollUntil(async () => {
      const { rows } = await db.pool.query(
        `SELECT coalesce(sum("offset" + 1), 0)::int AS n FROM consumer_checkpoints WHERE consumer = 'credit-decisions'`);
      return rows[0].n === stored;
    }, { what: 'the read models caught up' });
    for (const [name, table] of Object.entries(names)) {
      const snapshot = async () => (await db.pool.query(`SELECT id, doc FROM ${table} ORDER BY id`)).rows;
      const live = await snapshot();
      expect((await call('POST', `/v1/admin/projections/${name}/rebuild`, undefined, 'admin')).status).toBe(202);
      await pollUntil(async () => (await call('GET', `/v1/admin/projections/${name}/rebuild`, undefined, 'admin')).body.status === 'completed' || undefined,
        { what: `rebuild of ${name}`, timeoutMs: 60_000 });
      expect([name, await snapshot()]).toEqual([name, live]);
    }
  });

  it('publishes every credit event as a CloudEvent the official SDK parses, v2 approvals with their terms', async () => {
    const stored = await events();
    const parsed: Array<CloudEvent<any>> = [];
    const subscription = await transport.subscribe({
      groupId: `g-${randomUUID()}`, topics: [eventsTopic('credit', prefix)], fromBeginning: true,
      eachBatch: async (batch, control) => {
        for (const m of batch.messages) {
          parsed.push(CloudEventsKafka.toEvent({ key: m.key ?? undefined, value: m.value?.toString('utf8'), headers: m.headers as any } as any) as CloudEvent<any>);
          control.resolveOffset(m.offset);
        }
      },
    });
    await pollUntil(async () => parsed.length >= stored, { what: 'every credit event from Kafka' });
    const typeOf = (e: CloudEvent<unknown>) => e.type.slice(e.type.lastIndexOf('.') + 1);
    await subscription.stop();
    expect(parsed.every((e) => e.validate() && e.source === 'crm.credit' && e.specversion === '1.0')).toBe(true);
    // Types are namespaced (CLOUD_EVENTS_TYPE_PREFIX, com.example by default) and name their schema.
    expect(parsed.every((e) => e.type.startsWith('com.example.crm.credit.') && e.dataschema === `urn:crm:schema:${typeOf(e)}.v${e.schemaversion}`)).toBe(true);
    const approvals = parsed.filter((e) => typeOf(e) === 'CreditLimitApproved');
    expect(approvals).toHaveLength(3);
    expect(approvals.every((e) => e.schemaversion === '2' && typeof e.data.paymentTermsDays === 'number' && e.data.grade === 'B')).toBe(true);
    expect(new Set(parsed.map(typeOf))).toEqual(new Set(['CreditFinancialsRecorded', 'CreditAssessed', 'CreditLimitRequested', 'CreditLimitApprovalRecorded',
      'CreditLimitApproved', 'CreditLimitRejected', 'CreditHoldPlaced', 'CreditHoldReleased', 'CreditPolicyChanged', 'CreditBusinessDayClosed', 'CreditReviewBecameDue']));
  });
});
