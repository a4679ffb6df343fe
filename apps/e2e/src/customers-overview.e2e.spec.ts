import { randomUUID } from 'node:crypto';
import { eventsTopic, ServiceName } from '@crm/contracts';
import { KafkajsTransport, RecordedEvent, toKafkaMessage } from '@crm/eventing';
import { freshDatabase, kafkaBrokers, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, tokenFor, testTopicPrefix } from '@crm/testing';

/** A part is stale after 18 s without an event from its service (OVERVIEW_STALE_AFTER_HOURS), so the spec can watch one go stale. */
const STALE_AFTER_HOURS = 0.005;

/**
 * Customer 360 from credit's, receivables' and engagement's published events (real events of
 * their contracts on their topics): parts fill in with their freshness, a service that stops
 * publishing shows `stale: true`, every part (the profile and classification too) answers as
 * of an instant, 400s name the field, and the read model rebuilds equal to live.
 */
describe('customers: the 360 overview (service as a process, real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let customers: RunningService;
  const prefix = testTopicPrefix('e2e');
  const transport = new KafkajsTransport({ clientId: 'e2e-overview', brokers: kafkaBrokers(), quiet: true });

  beforeAll(async () => {
    db = await freshDatabase();
    await transport.ensureTopics((['receivables', 'credit', 'engagement'] as const).map((s) => ({ topic: eventsTopic(s, prefix), partitions: 1 })));
    customers = await startService('customers', {
      KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '1', AUTH_DEV_SECRET: TEST_AUTH_SECRET, DATABASE_URL: db.url,
      OVERVIEW_STALE_AFTER_HOURS: String(STALE_AFTER_HOURS),
    });
  }, 120_000);

  afterAll(async () => {
    await customers?.stop();
    await transport.close();
    await db?.drop();
  });

  const call = async (method: string, path: string, body?: unknown, role = 'account_manager') => {
    const r = await fetch(`${customers.url}${path}`, {
      method, headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(role)}` }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : undefined) as any };
  };
  const get = (path: string) => call('GET', path);
  let n = 0;
  const event = (source: string, type: string, customerId: string, data: object, at = new Date().toISOString()): RecordedEvent => ({
    id: randomUUID(), type, schemaVersion: 1, occurredAt: at, streamId: `${source}-${customerId}`, streamVersion: ++n, partitionKey: customerId,
    globalPosition: String(n), transactionId: '1', hash: '', metadata: { actor: { id: 'upstream', roles: ['admin'] }, correlationId: 'c', causationId: 'c' },
    data: { customerId, ...data },
  } as RecordedEvent);
  const publish = (source: ServiceName, events: RecordedEvent[]) => transport.publish(eventsTopic(source, prefix), events.map((e) => toKafkaMessage(e, `crm.${source}`)));
  const overview = (id: string, asOf?: string) => get(`/v1/customers/${id}/overview${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`);

  it('fills in as credit, receivables and engagement publish, shows a stopped service as stale, and answers as of an instant', async () => {
    const beforeRegistration = new Date().toISOString();
    const id = (await call('POST', '/v1/customers', { kind: 'company', legalName: 'Overview Ltd' }, 'sales')).body.id as string;
    const empty = await overview(id);
    expect(empty.body).toMatchObject({ staleAfterHours: STALE_AFTER_HOURS, profile: { customerId: id, kind: 'company', version: 1 },
      classification: { abcClass: null, stage: null, rfm: null, clv: null, classifiedOn: null },
      credit: { status: 'no-events', lastEventAt: null }, receivables: { status: 'no-events', lastEventAt: null }, engagement: { status: 'no-events', lastEventAt: null } });
    expect((await overview(randomUUID())).status).toBe(404);
    expect((await overview(id, beforeRegistration)).status).toBe(404);
    // 400s name the field at fault: the query parameter and the path parameter.
    expect((await get(`/v1/customers/${id}/overview?asOf=soon`)).body).toMatchObject({ status: 400, errors: [{ field: 'asOf' }] });
    expect((await get('/v1/customers/not-a-uuid/overview')).body).toMatchObject({ status: 400, errors: [{ field: 'id', messages: ['id must be a UUID'] }] });
    expect((await get('/v1/customers/not-a-uuid')).body).toMatchObject({ status: 400, errors: [{ field: 'id' }] });

    const invoiceId = randomUUID();
    await publish('receivables', [
      event('receivables', 'InvoiceIssued', id, { invoiceId, number: 'INV-1', currency: 'CNY', issueDate: '2026-11-01', lines: [{ description: 'x', quantity: 1, unitPrice: 9000, amount: 9000 }],
        total: 9000, terms: { type: 'net', days: 30 }, installments: [{ dueDate: '2026-12-01', amount: 9000 }], earlyPaymentDiscount: null }),
      event('receivables', 'PaymentReceived', id, { paymentId: randomUUID(), amount: 4000, currency: 'CNY', receivedOn: '2026-11-10', method: 'bank', reference: 'r',
        allocations: [{ invoiceId, amount: 4000, discount: 0, kind: 'payment' }], unapplied: 0 }),
    ]);
    const afterPayment = await pollUntil(async () => {
      const r = (await overview(id)).body;
      return r.receivables.status === 'ok' && r.receivables.open[0]?.amount === 5000 ? r : undefined;
    }, { what: 'receivables in the overview' }).catch(async (error) => {
      throw new Error(`${error.message}: ${JSON.stringify((await overview(id)).body)} ${customers.output().slice(-3000)}`);
    });
    expect(afterPayment.receivables).toMatchObject({ openInvoices: 1, worstDunningLevel: 0 });
    const receivablesStoppedAt = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await publish('receivables', [event('receivables', 'DunningLevelRaised', id, { invoiceId, businessDate: '2026-12-20', level: 2, previousLevel: 1, daysOverdue: 19, action: 'call' })]);
    await pollUntil(async () => (await overview(id)).body.receivables.worstDunningLevel === 2 || undefined, { what: 'the dunning level' });

    // The day close scores CLV (4000 paid + 4000 paid in the trailing year × 0.8) and RFM; the 360 shows what it recorded.
    expect((await call('POST', '/v1/operations/close-day', { businessDate: '2026-11-30' })).body.status).toBe('completed');
    const closedAt = new Date().toISOString();
    expect((await overview(id)).body.classification).toEqual({ abcClass: 'A', stage: 'new', rfm: { r: 1, f: 1, m: 1 }, clv: { amount: 7200, currency: 'CNY' }, classifiedOn: '2026-11-30' });

    // Engagement's real contract events: loyalty, churn risk, interactions, complaints.
    const complaint = (complaintId: string) => ({ complaintId, category: 'delivery', severity: 'high', description: 'late', raisedAt: new Date().toISOString(), raisedBy: 'am-1',
      sla: { abcClass: 'A', acknowledgeWithinHours: 4, resolveWithinHours: 24, acknowledgeBy: new Date(Date.now() + 4 * 3_600_000).toISOString(), resolveBy: new Date(Date.now() + 86_400_000).toISOString() } });
    const [k1, k2] = [randomUUID(), randomUUID()];
    const engagement = () => [
      event('loyalty', 'LoyaltyTierChanged', id, { tier: 'Silver', previousTier: 'Member', direction: 'upgrade', on: '2026-11-10',
        inputs: { trailing12mPaid: [{ currency: 'CNY', amount: 4000 }], decidingCurrency: 'CNY', threshold: 30, rule: 'trailing-12m-paid', belowSince: null }, policyVersion: 1 }),
      event('loyalty', 'LoyaltyPointsEarned', id, { paymentId: randomUUID(), invoiceId, currency: 'CNY', allocated: 4000, dueDate: '2026-12-01', paidOn: '2026-11-10',
        rule: 'on-time', points: 40, balance: 40, expiresOn: '2028-11-10', policyVersion: 1 }),
      event('churn', 'ChurnRiskFlagged', id, { accountManager: null, score: 72, signals: [{ code: 'spend-drop', points: 72, detail: 'spend fell' }], on: '2026-11-30', causedBy: null, policyVersion: 1 }),
      event('interactions', 'InteractionRecorded', id, { interactionId: randomUUID(), channel: 'phone', direction: 'outbound', subject: 'renewal', outcome: 'call back',
        occurredAt: '2026-11-29T09:00:00.000Z', recordedBy: 'am-1', nextFollowUpOn: null }),
      event('complaint', 'ComplaintRaised', id, complaint(k1)), event('complaint', 'ComplaintRaised', id, complaint(k2)),
      event('complaint', 'ComplaintResolved', id, { complaintId: k1, resolution: 'redelivered', resolvedAt: new Date().toISOString(), resolvedBy: 'am-1' }),
    ];
    // Receivables stops publishing; credit and engagement go on after the threshold has passed for receivables.
    await new Promise((resolve) => setTimeout(resolve, STALE_AFTER_HOURS * 3_600_000 + 1_000));
    await publish('credit', [event('credit', 'CreditLimitApproved', id, { limit: 150_000, currency: 'CNY', approvedBy: 'cm', approvedOn: '2026-11-30' })]);
    await publish('engagement', engagement());
    const full = await pollUntil(async () => {
      const r = (await overview(id)).body;
      return r.credit.status === 'ok' && r.engagement.openComplaints === 1 ? r : undefined;
    }, { what: 'credit and engagement in the overview' }).catch(async (error) => {
      throw new Error(`${error.message}: ${JSON.stringify((await overview(id)).body)}`);
    });
    // Exposure as credit counts it, from receivables' events: 9,000 invoiced − 4,000 paid.
    expect(full.credit).toMatchObject({ status: 'ok', stale: false, grade: null, limit: { amount: 150_000, currency: 'CNY' }, onHold: false,
      exposure: [{ currency: 'CNY', amount: 5000 }] });
    expect(full.receivables).toMatchObject({ status: 'ok', stale: true, worstDunningLevel: 2 });
    expect(full.engagement).toMatchObject({ status: 'ok', stale: false, loyalty: { tier: 'Silver', points: 40 },
      churnRisk: { score: 72, flagged: true }, lastInteraction: { occurredAt: '2026-11-29T09:00:00.000Z', channel: 'phone' }, openComplaints: 1 });

    // As recorded then: before the dunning level, the close and the other services' events.
    const then = (await overview(id, receivablesStoppedAt)).body;
    expect(then).toMatchObject({ asOf: receivablesStoppedAt, classification: { abcClass: null, clv: null }, credit: { status: 'no-events' }, engagement: { status: 'no-events' },
      receivables: { stale: false, worstDunningLevel: 0, open: [{ currency: 'CNY', amount: 5000 }] } });
    expect((await overview(id, closedAt)).body.classification).toMatchObject({ abcClass: 'A', clv: { amount: 7200 } });

    const docs = async () => (await db.pool.query('SELECT id, doc FROM customer_overview ORDER BY id')).rows;
    const live = await docs();
    expect((await call('POST', '/v1/admin/projections/customer-overview/rebuild', undefined, 'admin')).status).toBe(202);
    await pollUntil(async () => (await call('GET', '/v1/admin/projections/customer-overview/rebuild', undefined, 'admin')).body.status === 'completed' || undefined,
      { what: 'the rebuild', timeoutMs: 30_000 });
    expect(await docs()).toEqual(live);
  });
});
