import { randomUUID } from 'node:crypto';
import { eventsTopic, ServiceName } from '@crm/contracts';
import { fromKafkaMessage, KafkajsTransport, RecordedEvent, toKafkaMessage } from '@crm/eventing';
import { callApi, freshDatabase, kafkaBrokers, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, testTopicPrefix } from '@crm/testing';

/**
 * Churn risk from real contract events on Kafka, engagement started as a process on a fresh
 * database: customers' registration and class on the customers topic, invoices on receivables',
 * surveys, SLA breaches, resolutions and interactions on engagement's own topic. Those last are
 * published by this test straight to engagement's topic (as engagement's relay would, with
 * their contract's payloads): their producers are being built beside this feature, and churn
 * only reads the contract. The flag is read back from Kafka; later signals and a policy change
 * clear it; the day close rescores only the due customer; the read model rebuilds equal to live.
 */
describe('engagement: churn risk from signals on Kafka (service as a process, real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let engagement: RunningService;
  const prefix = testTopicPrefix('e2e');
  const transport = new KafkajsTransport({ clientId: 'e2e-engagement-churn', brokers: kafkaBrokers(), quiet: true });

  beforeAll(async () => {
    db = await freshDatabase();
    await transport.ensureTopics((['customers', 'receivables', 'engagement'] as const).map((s) => ({ topic: eventsTopic(s, prefix), partitions: 2 })));
    engagement = await startService('engagement', {
      KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '2', AUTH_DEV_SECRET: TEST_AUTH_SECRET, DATABASE_URL: db.url,
    });
  }, 120_000);

  afterAll(async () => {
    await engagement?.stop();
    await transport.close();
    await db?.drop();
  });

  const call = (method: string, path: string, body?: unknown, role = 'account_manager') => callApi(engagement.url, method, path, { body, role });

  let n = 0;
  const publish = (service: ServiceName, type: string, customerId: string, occurredAt: string, data: object) => {
    n += 1;
    const event = {
      id: randomUUID(), type, schemaVersion: 1, occurredAt, streamId: `${service}-e2e-${customerId}`, streamVersion: n, partitionKey: customerId,
      globalPosition: String(n), transactionId: '1', hash: '', metadata: { actor: { id: 'upstream', roles: ['admin'] }, correlationId: 'c', causationId: 'c' },
      data: { customerId, ...data },
    } as RecordedEvent;
    return transport.publish(eventsTopic(service, prefix), [toKafkaMessage(event, `crm.${service}`)]);
  };
  const register = (customerId: string) => publish('customers', 'CustomerRegistered', customerId, '2025-01-01T00:00:00.000Z',
    { kind: 'company', legalName: `Churn ${customerId.slice(0, 4)}`, accountManager: 'am-li', tags: [] });
  const invoice = (customerId: string, issueDate: string) => publish('receivables', 'InvoiceIssued', customerId, `${issueDate}T09:00:00.000Z`, {
    invoiceId: randomUUID(), number: `INV-${n}`, currency: 'CNY', issueDate, lines: [{ description: 'tea', quantity: 1, unitPrice: 1000, amount: 1000 }],
    total: 1000, terms: { type: 'net', days: 30 }, installments: [{ dueDate: issueDate, amount: 1000 }], earlyPaymentDiscount: null,
  });
  const survey = (customerId: string, kind: 'csat' | 'nps', score: number, respondedAt: string) => publish('engagement', 'SurveyResponseRecorded', customerId, respondedAt,
    { responseId: randomUUID(), kind, score, comment: null, respondedAt, segment: { abcClass: 'A', region: null, tier: null } });
  const breach = (customerId: string, complaintId: string, detectedAt: string) => publish('engagement', 'ComplaintSlaBreached', customerId, detectedAt,
    { complaintId, clock: 'resolve', deadline: detectedAt, detectedAt });
  const factsVersion = async (customerId: string) =>
    Number((await db.pool.query('SELECT facts->>\'version\' AS v FROM churn_signal_facts WHERE customer_id = $1', [customerId])).rows[0]?.v ?? 0);
  const risk = (customerId: string, until: (doc: any) => boolean) => pollUntil(async () => {
    const r = await call('GET', `/v1/churn-risk/${customerId}`);
    return r.status === 200 && until(r.body) ? r.body : undefined;
  }, { what: `the churn risk of ${customerId}` });
  const churnEvents = async (customerId: string) => (await db.pool.query(
    `SELECT event_id::text AS id, event_type AS type, data FROM events WHERE stream_id = $1 ORDER BY stream_version`, [`churn-${customerId}`])).rows;

  const [a, b, c, d] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];

  it('flags a customer when its signals reach 60, with each signal\'s points in the event, published on engagement\'s topic', async () => {
    for (const id of [a, b, c, d]) await register(id);
    // A bought once a month through 2025, then nothing: 0 in 2026-01..03 against a usual 3 per 3 months.
    for (let m = 1; m <= 12; m++) await invoice(a, `2025-${String(m).padStart(2, '0')}-10`);
    // The class comes on another topic, which engagement reads independently: published only once the
    // purchases are in, so the class change scores a on all of them (not on the first few, as a
    // class change read ahead of receivables' topic would, and rightly, flag on what it knew then).
    await pollUntil(async () => (await factsVersion(a)) === 12 || undefined, { what: 'a\'s purchases in churn\'s facts' });
    await publish('customers', 'CustomerAbcClassChanged', a, '2026-03-01T00:00:00.000Z', { abcClass: 'A', previousClass: null, businessDate: '2026-03-01',
      inputs: { trailingRevenue: 12000, totalRevenue: 12000, coveredBefore: 0, reportingCurrency: 'CNY', policyVersion: 0 } });
    await pollUntil(async () => (await factsVersion(a)) === 13 || undefined, { what: 'a\'s class in churn\'s facts' });

    await survey(a, 'csat', 1, '2026-03-02T08:00:00.000Z');
    await breach(a, randomUUID(), '2026-03-03T09:00:00.000Z');
    await breach(b, randomUUID(), '2026-03-03T09:00:00.000Z');
    await breach(c, randomUUID(), '2026-03-03T09:00:00.000Z');
    await survey(c, 'nps', 3, '2026-03-04T08:00:00.000Z');
    await survey(d, 'csat', 2, '2026-03-04T08:00:00.000Z');

    const flagged = await risk(a, (doc) => doc.flagged);
    expect(flagged).toMatchObject({ customerId: a, score: 75, flagged: true, scoredOn: '2026-03-03', policyVersion: 0 });
    expect(flagged.signals.map((s: any) => [s.code, s.points])).toEqual([
      ['purchase-frequency-drop', 20], ['low-satisfaction', 20], ['complaint-past-sla', 20], ['no-recent-interaction', 15]]);
    expect(flagged.signals[0].detail).toBe('0 invoices in 2026-01..2026-03 against a usual 3.00 per 3 months (12 in 2025-01..2025-12); below half');

    const flags = (await churnEvents(a)).filter((e) => e.type === 'ChurnRiskFlagged');
    expect(flags).toHaveLength(1);
    expect(flags[0].data).toMatchObject({ customerId: a, accountManager: 'am-li', score: 75, policyVersion: 0, causedBy: expect.any(String) });
    expect(flagged.task).toMatchObject({ flagEventId: flags[0].id, flaggedOn: '2026-03-03' });
    // The follow-ups feature answers the flag with a retention FollowUpScheduled (source: the flag's id); until it has, the task is requested.
    const retention = await pollUntil(async () => (await db.pool.query(
      `SELECT data FROM events WHERE event_type = 'FollowUpScheduled' AND data->'source'->>'id' = $1`, [flags[0].id])).rows[0]?.data, { timeoutMs: 5_000 }).catch(() => null);
    if (retention) {
      expect(await risk(a, (doc) => doc.task.status === 'scheduled')).toMatchObject({ task: { followUpId: retention.followUpId, dueOn: retention.dueOn } });
    } else {
      expect(flagged.task).toMatchObject({ status: 'requested', followUpId: null, accountManager: 'am-li' });
    }

    const published: any[] = [];
    const subscription = await transport.subscribe({
      groupId: `g-${randomUUID()}`, topics: [eventsTopic('engagement', prefix)], fromBeginning: true,
      eachBatch: async (batch, control) => {
        for (const m of batch.messages) {
          published.push(fromKafkaMessage(m));
          control.resolveOffset(m.offset);
        }
      },
    });
    const fromKafka = await pollUntil(async () => published.find((e) => e.type === 'ChurnRiskFlagged' && e.subject === a), { what: 'ChurnRiskFlagged on Kafka' });
    await subscription.stop();
    expect(fromKafka).toMatchObject({ id: flags[0].id, source: 'crm.engagement', streamId: `churn-${a}`, data: flags[0].data });
  });

  it('lists scored customers by minScore, riskiest first, in keyset pages', async () => {
    await risk(d, () => true);
    await risk(c, (doc) => doc.score === 40);
    const first = await call('GET', '/v1/churn-risk?minScore=20&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: any) => [i.customerId, i.score])).toEqual([[a, 75], [c, 40]]);
    expect(first.body.items[1].flagged).toBe(false);
    const second = await call('GET', `/v1/churn-risk?minScore=20&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((i: any) => i.customerId)).toEqual([b, d].sort());
    expect(second.body.nextCursor).toBeNull();
    expect((await call('GET', '/v1/churn-risk?minScore=40')).body.items.map((i: any) => i.customerId)).toEqual([a, c]);
    const bad = await call('GET', '/v1/churn-risk?minScore=101');
    expect([bad.status, JSON.stringify(bad.body)]).toEqual([400, expect.stringContaining('minScore')]);
    const badCursor = await call('GET', '/v1/churn-risk?cursor=bm9wZQ');
    expect([badCursor.status, JSON.stringify(badCursor.body)]).toEqual([400, expect.stringContaining('cursor')]);
    expect((await call('GET', `/v1/churn-risk/${randomUUID()}`)).status).toBe(404);
  });

  it('keeps the policy as versions; later signals clear the flag under the version in force', async () => {
    expect((await call('GET', '/v1/churn/policy')).body).toEqual({ version: 0, flagAt: 60, clearBelow: 40,
      weights: { 'purchase-frequency-drop': 20, 'spend-drop': 25, 'low-satisfaction': 20, 'complaint-past-sla': 20, 'no-recent-interaction': 15 } });
    const refused = await call('PUT', '/v1/churn/policy', { weights: { 'spend-drop': 30 } }, 'admin');
    expect([refused.status, refused.body.type, refused.body.errors?.[0]?.field]).toEqual([400, expect.stringMatching(/invalid-churn-policy$/), 'weights']);
    const zero = await call('PUT', '/v1/churn/policy', { flagAt: 0 }, 'admin');
    expect([zero.status, zero.body.errors?.[0]?.field]).toEqual([400, 'flagAt']);
    expect((await call('PUT', '/v1/churn/policy', { clearBelow: 45 }, 'account_manager')).status).toBe(403);
    expect((await call('PUT', '/v1/churn/policy', { clearBelow: 45 }, 'admin')).body).toMatchObject({ version: 1, changed: true, clearBelow: 45, flagAt: 60 });
    expect((await call('PUT', '/v1/churn/policy', { clearBelow: 45 }, 'admin')).body).toMatchObject({ version: 1, changed: false });
    expect((await call('GET', '/v1/churn/policy')).body).toMatchObject({ version: 1, clearBelow: 45 });
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM events WHERE event_type = 'ChurnPolicyChanged'`)).rows[0].n).toBe(1);

    // The complaint resolved: 55, still flagged. An interaction: 40, below the new 45: cleared.
    const complaintOfA = (await db.pool.query(`SELECT jsonb_object_keys(facts->'complaintsPastSla') AS id FROM churn_signal_facts WHERE customer_id = $1`, [a])).rows[0].id;
    await publish('engagement', 'ComplaintResolved', a, '2026-03-05T10:00:00.000Z', { complaintId: complaintOfA, resolution: 'replaced', resolvedAt: '2026-03-05T10:00:00.000Z', resolvedBy: 'am-li' });
    expect(await risk(a, (doc) => doc.score === 55)).toMatchObject({ flagged: true, policyVersion: 1 });
    await publish('engagement', 'InteractionRecorded', a, '2026-03-06T10:00:00.000Z', { interactionId: randomUUID(), channel: 'visit', direction: 'outbound',
      subject: 'retention visit', outcome: 'will reorder', occurredAt: '2026-03-06T10:00:00.000Z', recordedBy: 'am-li', nextFollowUpOn: null });
    expect(await risk(a, (doc) => !doc.flagged)).toMatchObject({ score: 40, policyVersion: 1 });
    const types = (await churnEvents(a)).map((e) => e.type);
    expect(types.filter((t) => t !== 'ChurnRiskScored')).toEqual(['ChurnRiskFlagged', 'ChurnRiskCleared']);
    const cleared = (await churnEvents(a)).find((e) => e.type === 'ChurnRiskCleared')!.data;
    expect(cleared.signals.map((s: any) => s.code)).toEqual(['purchase-frequency-drop', 'low-satisfaction']);
  });

  it('rescores on day close only the customers whose time-based signals can change by the date', async () => {
    const due = (await db.pool.query(`SELECT customer_id, next_check_on FROM churn_signal_facts WHERE next_check_on <= '2026-05-05' ORDER BY 1`)).rows;
    // a: 60 days after its interaction of 2026-03-06 (class A); b, c, d (class C) not before 2027.
    expect(due).toEqual([{ customer_id: a, next_check_on: '2026-05-05' }]);
    const close = await call('POST', '/v1/operations/close-day', { businessDate: '2026-05-05' });
    expect([close.status, close.body.status]).toEqual([200, 'completed']);
    expect(close.body.recorded).toMatchObject({ ChurnRiskScored: 1 });
    // 55 (frequency, satisfaction, no interaction): between the thresholds, so a cleared customer stays unflagged.
    expect(await risk(a, (doc) => doc.scoredOn === '2026-05-05')).toMatchObject({ score: 55, flagged: false });
    const last = (await churnEvents(a)).pop()!;
    expect(last).toMatchObject({ type: 'ChurnRiskScored', data: { on: '2026-05-05', causedBy: null, policyVersion: 1 } });
    expect(last.data.signals.map((s: any) => s.code)).toEqual(['purchase-frequency-drop', 'low-satisfaction', 'no-recent-interaction']);
    expect((await call('POST', '/v1/operations/close-day', { businessDate: '2026-05-06' })).body.recorded).not.toHaveProperty('ChurnRiskScored');
  });

  it('rebuilds the churn-risk read model equal to live, its dated versions included, and lists as of now as live', async () => {
    const rows = async () => (await db.pool.query('SELECT id, doc FROM churn_risk ORDER BY id')).rows;
    const versions = async () => (await db.pool.query('SELECT * FROM churn_risk_versions ORDER BY customer_id, valid_from')).rows;
    const live = await rows();
    const liveVersions = await versions();
    expect(live).toHaveLength(4);
    expect(liveVersions.length).toBeGreaterThan(live.length);
    expect((await call('POST', '/v1/admin/projections/churn-risk/rebuild', undefined, 'admin')).status).toBe(202);
    await pollUntil(async () => (await call('GET', '/v1/admin/projections/churn-risk/rebuild', undefined, 'admin')).body.status === 'completed' || undefined,
      { what: 'the rebuild', timeoutMs: 30_000 });
    expect(await rows()).toEqual(live);
    expect(await versions()).toEqual(liveVersions);
    const now = new Date().toISOString();
    const { asOf, ...asOfNow } = (await call('GET', `/v1/churn-risk?minScore=0&asOf=${encodeURIComponent(now)}`)).body;
    expect(asOf).toBe(now);
    expect(asOfNow).toEqual((await call('GET', '/v1/churn-risk?minScore=0')).body);
  });
});
