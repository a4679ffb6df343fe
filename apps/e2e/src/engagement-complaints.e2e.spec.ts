import { randomUUID } from 'node:crypto';
import { eventsTopic } from '@crm/contracts';
import { KafkajsTransport, RecordedEvent, toKafkaMessage } from '@crm/eventing';
import {
  freshDatabase, kafkaBrokers, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, tokenFor, testTopicPrefix,
} from '@crm/testing';

const TZ = 'Asia/Shanghai';
const dateIn = (instant: number) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
const HOUR = 3_600_000;

/**
 * Complaints and surveys on the real engagement service (a process on a fresh database, real
 * PostgreSQL + Kafka): customers' CustomerRegistered and CustomerAbcClassChanged published as
 * customers' events on the customers topic give the SLA class (A: 4 h / 24 h, others 24 h / 72 h);
 * bad input answers problem+json naming the field and appends nothing; the day close records
 * breaches as of the end of the business date, once per clock; a resolution schedules a CSAT
 * survey; satisfaction by segment; every read model rebuilds equal to live.
 */
describe('engagement: complaints with SLA clocks, surveys and satisfaction (service as a process, real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let engagement: RunningService;
  const prefix = testTopicPrefix('e2e');
  const transport = new KafkajsTransport({ clientId: 'e2e-engagement-complaints', brokers: kafkaBrokers(), quiet: true });
  const classA = randomUUID();
  const unclassified = randomUUID();

  beforeAll(async () => {
    db = await freshDatabase();
    await transport.ensureTopics([{ topic: eventsTopic('customers', prefix), partitions: 1 }, { topic: eventsTopic('engagement', prefix), partitions: 1 }]);
    engagement = await startService('engagement', {
      KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '1',
      AUTH_DEV_SECRET: TEST_AUTH_SECRET, DATABASE_URL: db.url, BUSINESS_TIME_ZONE: TZ, SLA_WATCH_SECONDS: '1',
    });
  }, 120_000);

  afterAll(async () => {
    await engagement?.stop();
    await transport.close();
    await db?.drop();
  });

  const call = async (method: string, path: string, body?: unknown, role = 'account_manager', headers: Record<string, string> = {}) => {
    const response = await fetch(`${engagement.url}${path}`, {
      method, headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(role)}`, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), body: text ? JSON.parse(text) : undefined };
  };
  const upstream = (type: string, stream: string, version: number, customerId: string, data: object): RecordedEvent => ({
    id: randomUUID(), type, schemaVersion: 1, occurredAt: '2026-11-01T09:00:00.000Z', streamId: stream, streamVersion: version, partitionKey: customerId,
    globalPosition: String(version), transactionId: '1', hash: '', metadata: { actor: { id: 'upstream', roles: ['admin'] }, correlationId: 'c', causationId: 'c' }, data,
  } as RecordedEvent);
  const registered = (customerId: string, legalName: string, region: string) =>
    upstream('CustomerRegistered', `customer-${customerId}`, 1, customerId, { customerId, kind: 'company', legalName, region, tags: [] });
  const events = async (type: string) => (await db.pool.query('SELECT stream_id, data FROM events WHERE event_type = $1 ORDER BY global_position', [type])).rows;
  const eventCount = async () => Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count);
  const problem = (r: { status: number; type: string | null; body: any }) => ({ status: r.status, json: r.type?.startsWith('application/problem+json'),
    type: String(r.body?.type ?? '').split('/').pop(), fields: (r.body?.errors ?? []).map((e: any) => e.field) });

  let raisedAt = 0;
  const ids: Record<'aResolved' | 'aOpen' | 'c', string> = { aResolved: '', aOpen: '', c: '' };

  it('holds class A to 4 h / 24 h and an unclassified customer to 24 h / 72 h, recorded in ComplaintRaised', async () => {
    await transport.publish(eventsTopic('customers', prefix), [
      registered(classA, 'Hangzhou Tea', 'East'), registered(unclassified, 'Xi\'an Jade', 'West'),
      upstream('CustomerAbcClassChanged', `customer-${classA}`, 2, classA, { customerId: classA, abcClass: 'A', previousClass: null, businessDate: '2026-11-01',
        inputs: { trailingRevenue: 800, totalRevenue: 1000, coveredBefore: 0, reportingCurrency: 'CNY', policyVersion: 1 } }),
    ].map((e) => toKafkaMessage(e, 'crm.customers')));
    await transport.publish(eventsTopic('engagement', prefix), [upstream('LoyaltyTierChanged', `loyalty-${classA}`, 1, classA, {
      customerId: classA, tier: 'Gold', previousTier: 'Member', direction: 'upgrade', on: '2026-11-01',
      inputs: { trailing12mPaid: [{ amount: 20_000_000, currency: 'CNY' }], decidingCurrency: 'CNY', threshold: 200_000, rule: 'upgrade at once', belowSince: null },
      policyVersion: 1 })].map((e) => toKafkaMessage(e, 'crm.engagement')));
    await pollUntil(async () => (await call('GET', `/v1/customers/${classA}`)).body?.abcClass === 'A' || undefined, { what: 'class A in the directory' });
    await pollUntil(async () => (await call('GET', `/v1/customers/${unclassified}`)).status === 200 || undefined, { what: 'the unclassified customer' });
    await pollUntil(async () => (await db.pool.query('SELECT 1 FROM engagement_survey_customer_tiers WHERE id = $1', [classA])).rowCount || undefined,
      { what: 'the tier copy' });

    raisedAt = Date.now();
    const raise = (customerId: string, severity = 'high') => call('POST', '/v1/complaints', { customerId, category: 'delivery', severity, description: 'late truck' });
    const a = await raise(classA);
    expect(a.status).toBe(201);
    expect(a.body.sla).toMatchObject({ abcClass: 'A', acknowledgeWithinHours: 4, resolveWithinHours: 24, policyVersion: 0 });
    expect(Date.parse(a.body.sla.acknowledgeBy) - Date.parse((await events('ComplaintRaised'))[0].data.raisedAt)).toBe(4 * HOUR);
    const c = await raise(unclassified, 'low');
    expect(c.body.sla).toMatchObject({ abcClass: null, acknowledgeWithinHours: 24, resolveWithinHours: 72 });
    ids.aResolved = a.body.id;
    ids.c = c.body.id;
    ids.aOpen = (await raise(classA, 'critical')).body.id;
    expect((await events('ComplaintRaised')).map((e) => [e.stream_id, e.data.sla.resolveWithinHours]))
      .toEqual([[`complaint-${ids.aResolved}`, 24], [`complaint-${ids.c}`, 72], [`complaint-${ids.aOpen}`, 24]]);
  });

  it('answers bad input with problem+json naming the field, appending nothing', async () => {
    const before = await eventCount();
    const body = { customerId: classA, category: 'delivery', severity: 'high', description: 'x' };
    expect(problem(await call('POST', '/v1/complaints', { ...body, severity: 'urgent' }))).toMatchObject({ status: 400, json: true, fields: ['severity'] });
    expect(problem(await call('POST', '/v1/complaints', { ...body, customerId: randomUUID() })))
      .toMatchObject({ status: 422, json: true, type: 'unknown-customer', fields: ['customerId'] });
    expect(problem(await call('POST', `/v1/complaints/${ids.c}/resolve`, { resolution: 'refund' }))).toMatchObject({ status: 409, type: 'complaint-not-acknowledged' });
    expect(problem(await call('POST', `/v1/complaints/${randomUUID()}/acknowledge`))).toMatchObject({ status: 404, type: 'complaint-not-found' });
    expect(problem(await call('GET', `/v1/complaints/${randomUUID()}`))).toMatchObject({ status: 404, type: 'complaint-not-found' });
    expect(problem(await call('GET', '/v1/complaints/not-a-uuid'))).toMatchObject({ status: 400, fields: ['id'] });
    expect(problem(await call('GET', '/v1/complaints?slaBreached=maybe'))).toMatchObject({ status: 400, fields: ['slaBreached'] });
    const answer = { customerId: classA, kind: 'csat', score: 4, comment: null, respondedAt: '2026-11-20T10:00:00+08:00' };
    expect(problem(await call('POST', '/v1/surveys/responses', { ...answer, score: 6 }))).toMatchObject({ status: 400, type: 'score-out-of-range', fields: ['score'] });
    expect(problem(await call('POST', '/v1/surveys/responses', { ...answer, kind: 'nps', score: 11 }))).toMatchObject({ status: 400, fields: ['score'] });
    expect(problem(await call('POST', '/v1/surveys/responses', { ...answer, kind: 'ces' }))).toMatchObject({ status: 400, fields: ['kind'] });
    expect(problem(await call('POST', '/v1/surveys/responses', { ...answer, respondedAt: '2026-11-31T10:00:00Z' }))).toMatchObject({ status: 400, fields: ['respondedAt'] });
    expect(problem(await call('POST', '/v1/surveys/responses', { ...answer, customerId: randomUUID() }))).toMatchObject({ status: 422, fields: ['customerId'] });
    expect(problem(await call('GET', '/v1/satisfaction?month=2026-13'))).toMatchObject({ status: 400, fields: ['month'] });
    expect(problem(await call('GET', '/v1/satisfaction?month=2026-11&segment=industry'))).toMatchObject({ status: 400, fields: ['segment'] });
    expect(await eventCount()).toBe(before);
  });

  it('resolves after an acknowledgement, scheduling one CSAT survey; a second resolution is a 409', async () => {
    expect((await call('POST', `/v1/complaints/${ids.aResolved}/acknowledge`)).body).toMatchObject({ status: 'acknowledged', recorded: ['ComplaintAcknowledged'] });
    expect(problem(await call('POST', `/v1/complaints/${ids.aResolved}/acknowledge`))).toMatchObject({ status: 409, type: 'complaint-already-acknowledged' });
    const resolved = await call('POST', `/v1/complaints/${ids.aResolved}/resolve`, { resolution: 'refund of the freight' });
    expect(resolved.body).toMatchObject({ status: 'resolved', recorded: ['ComplaintResolved'] });
    expect(problem(await call('POST', `/v1/complaints/${ids.aResolved}/resolve`, { resolution: 'again' }))).toMatchObject({ status: 409, type: 'complaint-already-resolved' });
    const surveys = await pollUntil(async () => ((await events('SurveyRequested')).length ? events('SurveyRequested') : undefined), { what: 'the CSAT survey' });
    expect(surveys.map((s) => s.data)).toEqual([expect.objectContaining({ customerId: classA, kind: 'csat', reason: 'complaint-resolved', complaintId: ids.aResolved,
      requestedAt: resolved.body.resolvedAt })]);
    expect(surveys[0].stream_id).toBe(`survey-${surveys[0].data.surveyId}`);
    expect((await call('GET', `/v1/complaints/${ids.aResolved}`)).body).toMatchObject({ status: 'resolved', resolution: 'refund of the freight', slaBreached: false, breaches: [] });
  });

  it('records breaches on day close as of the end of the business date, once per clock, and never for steps done in time', async () => {
    // The date of the unclassified complaint's acknowledge deadline (raised + 24 h): class A's open complaint is past both its clocks by its end.
    const day = dateIn(raisedAt + 24 * HOUR + 60_000);
    const close = await call('POST', '/v1/operations/close-day', { businessDate: day });
    expect([close.status, close.body.status]).toEqual([200, 'completed']);
    expect(close.body.recorded).toMatchObject({ ComplaintSlaBreached: 3 });
    const breachesOf = async () => (await events('ComplaintSlaBreached')).map((e) => `${e.data.complaintId}:${e.data.clock}`).sort();
    expect(await breachesOf()).toEqual([`${ids.aOpen}:acknowledge`, `${ids.aOpen}:resolve`, `${ids.c}:acknowledge`].sort());
    const [breach] = (await events('ComplaintSlaBreached')).filter((e) => e.data.complaintId === ids.c);
    expect(breach.data.detectedAt).toBe(new Date(Date.parse(`${day}T00:00:00+08:00`) + 24 * HOUR).toISOString());

    // The next day has nothing due for complaints; the day after the resolve deadline breaches the unclassified one's resolve clock, once.
    const next = await call('POST', '/v1/operations/close-day', { businessDate: dateIn(Date.parse(`${day}T12:00:00+08:00`) + 24 * HOUR) });
    expect(next.body.recorded?.ComplaintSlaBreached ?? 0).toBe(0);
    const later = await call('POST', '/v1/operations/close-day', { businessDate: dateIn(raisedAt + 73 * HOUR) });
    expect(later.body.recorded).toMatchObject({ ComplaintSlaBreached: 1 });
    expect(await breachesOf()).toEqual([`${ids.aOpen}:acknowledge`, `${ids.aOpen}:resolve`, `${ids.c}:acknowledge`, `${ids.c}:resolve`].sort());
    expect((await call('GET', `/v1/complaints/${ids.c}`)).body).toMatchObject({ slaBreached: true, breaches: [{ clock: 'acknowledge' }, { clock: 'resolve' }] });
  });

  it('lists complaints by customer, status and breach, in keyset pages', async () => {
    const list = (query: string) => pollUntil(async () => {
      const r = await call('GET', `/v1/complaints?${query}`);
      return r.status === 200 ? r.body : undefined;
    }, { what: query });
    await pollUntil(async () => ((await list('slaBreached=true')).items.length === 2 ? true : undefined), { what: 'the breaches in the list' });
    expect((await list('slaBreached=false')).items.map((c: any) => c.id)).toEqual([ids.aResolved]);
    expect((await list(`customerId=${classA}&status=open`)).items.map((c: any) => c.id)).toEqual([ids.aOpen]);
    expect((await list('status=resolved')).items.map((c: any) => c.id)).toEqual([ids.aResolved]);
    const first = await list('limit=2');
    const second = await list(`limit=2&cursor=${first.nextCursor}`);
    expect([...first.items, ...second.items].map((c: any) => c.id)).toEqual([ids.aResolved, ids.c, ids.aOpen]);
    expect(second.nextCursor).toBeNull();
    expect(problem(await call('GET', '/v1/complaints?cursor=bm90LWEtY3Vyc29y'))).toMatchObject({ status: 400, fields: ['cursor'] });
  });

  it('records answers with the customer\'s segment and reports CSAT and NPS by class, region and tier', async () => {
    const answer = async (customerId: string, kind: string, score: number) =>
      call('POST', '/v1/surveys/responses', { customerId, kind, score, comment: 'ok', respondedAt: '2026-11-20T10:00:00+08:00' });
    const first = await answer(classA, 'csat', 5);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: expect.any(String), respondedAt: '2026-11-20T02:00:00.000Z', respondedOn: '2026-11-20',
      segment: { abcClass: 'A', region: 'East', tier: 'Gold' } });
    await answer(classA, 'nps', 10);
    await answer(classA, 'nps', 8);
    await answer(unclassified, 'csat', 2);
    await answer(unclassified, 'nps', 3);
    const satisfaction = (segment: string) => call('GET', `/v1/satisfaction?month=2026-11${segment ? `&segment=${segment}` : ''}`);
    await pollUntil(async () => ((await satisfaction('')).body.responses === 5 ? true : undefined), { what: 'the satisfaction counters' });
    expect((await satisfaction('')).body).toEqual({ month: '2026-11', segment: null, responses: 5, csat: { average: 3.5, responses: 2 },
      nps: { score: 0, responses: 3, promoters: 1, passives: 1, detractors: 1 } });
    expect((await satisfaction('abcClass')).body.items.map((i: any) => [i.value, i.csat.average, i.nps.score, i.responses]))
      .toEqual([['A', 5, 50, 3], ['C', 2, -100, 2]]);
    expect((await satisfaction('region')).body.items.map((i: any) => [i.value, i.responses])).toEqual([['East', 3], ['West', 2]]);
    expect((await satisfaction('tier')).body.items.map((i: any) => [i.value, i.responses])).toEqual([['Gold', 3], ['Member', 2]]);
    expect((await call('GET', '/v1/satisfaction?month=2026-10&segment=region')).body).toEqual({ month: '2026-10', segment: 'region', items: [] });
  });

  it('raises later complaints under a new SLA rule version, which they cite; incoherent hours are a 400 naming the field', async () => {
    const before = await eventCount();
    expect(problem(await call('PUT', '/v1/complaints/policy', { hoursByClass: { C: { acknowledgeWithinHours: 48, resolveWithinHours: 8 } } }, 'admin')))
      .toMatchObject({ status: 400, type: 'sla-resolve-before-acknowledge', fields: ['hoursByClass.C.resolveWithinHours'] });
    expect((await call('PUT', '/v1/complaints/policy', { hoursByClass: { C: { acknowledgeWithinHours: 8, resolveWithinHours: 48 } } })).status).toBe(403);
    expect(await eventCount()).toBe(before);
    const changed = await call('PUT', '/v1/complaints/policy', { hoursByClass: { C: { acknowledgeWithinHours: 8, resolveWithinHours: 48 } } }, 'admin');
    expect(changed.body).toMatchObject({ version: 1, changed: true, hoursByClass: { A: { acknowledgeWithinHours: 4 }, C: { acknowledgeWithinHours: 8 } } });
    expect((await call('GET', '/v1/complaints/policy')).body).toMatchObject({ version: 1 });
    const complaint = { customerId: unclassified, category: 'billing', severity: 'medium', description: 'double charge' };
    const raised = await call('POST', '/v1/complaints', complaint, 'account_manager', { 'idempotency-key': 'billing-1' });
    const retried = await call('POST', '/v1/complaints', complaint, 'account_manager', { 'idempotency-key': 'billing-1' });
    expect([retried.status, retried.body.id]).toEqual([201, raised.body.id]);
    expect((await events('ComplaintRaised')).filter((e) => e.data.category === 'billing')).toHaveLength(1);
    expect(raised.body.sla).toMatchObject({ abcClass: null, acknowledgeWithinHours: 8, resolveWithinHours: 48, policyVersion: 1 });
    expect((await call('GET', `/v1/complaints/${ids.c}`)).body.sla).toMatchObject({ acknowledgeWithinHours: 24, policyVersion: 0 });
    await pollUntil(async () => ((await call('GET', `/v1/complaints?customerId=${unclassified}`)).body.items.some((c: any) => c.id === raised.body.id) || undefined),
      { what: 'the new complaint in the list' });
  });

  it.each([['complaints', 'engagement_complaints'], ['satisfaction', 'engagement_satisfaction'], ['survey-customer-tiers', 'engagement_survey_customer_tiers']])(
    'rebuilds %s equal to live', async (name, table) => {
      const rows = async () => (await db.pool.query(`SELECT id, doc FROM ${table} ORDER BY id`)).rows;
      const live = await rows();
      expect(live.length).toBeGreaterThan(0);
      expect((await call('POST', `/v1/admin/projections/${name}/rebuild`, undefined, 'admin')).status).toBe(202);
      await pollUntil(async () => (await call('GET', `/v1/admin/projections/${name}/rebuild`, undefined, 'admin')).body.status === 'completed' || undefined,
        { what: `the rebuild of ${name}`, timeoutMs: 30_000 });
      expect(await rows()).toEqual(live);
    });
});
