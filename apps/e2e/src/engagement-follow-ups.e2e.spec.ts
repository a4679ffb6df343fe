import { randomUUID } from 'node:crypto';
import { eventsTopic } from '@crm/contracts';
import { KafkajsTransport, RecordedEvent, toKafkaMessage } from '@crm/eventing';
import { callApi, freshDatabase, kafkaBrokers, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, testTopicPrefix } from '@crm/testing';

/**
 * Interactions and follow-ups with engagement as a process on real PostgreSQL + Kafka, customers'
 * events published as real events of their contract on the customers topic: an interaction's
 * next step is a due follow-up, missed at the close of its date; the contact plan (class A: 30
 * days) schedules a follow-up on the close of its notice date and touches nobody else; a
 * ChurnRiskFlagged on engagement's topic gives one retention follow-up however often it arrives;
 * the plan's rules change as versions, a later class change planning by the one in force;
 * bad input is a 4xx naming the field with nothing appended; both read models rebuild equal to live.
 */
describe('engagement: interactions, follow-ups and the contact plan (service as a process, real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let engagement: RunningService;
  const prefix = testTopicPrefix('e2e');
  const transport = new KafkajsTransport({ clientId: 'e2e-engagement-follow-ups', brokers: kafkaBrokers(), quiet: true });
  const [x, planned, idle, flagged] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];

  let n = 0;
  const event = (type: string, subject: string, stream: string, occurredAt: string, data: object): RecordedEvent => ({
    id: randomUUID(), type, schemaVersion: 1, occurredAt, streamId: stream, streamVersion: ++n, partitionKey: subject, globalPosition: String(n),
    transactionId: '1', hash: '', metadata: { actor: { id: 'upstream', roles: ['admin'] }, correlationId: 'c', causationId: 'c' }, data,
  } as RecordedEvent);
  const registered = (customerId: string, on: string, accountManager = 'am-li') => event('CustomerRegistered', customerId, `customer-${customerId}`,
    `${on}T02:00:00.000Z`, { customerId, kind: 'company', legalName: `Co ${customerId.slice(0, 4)}`, accountManager, tags: [] });
  const publishCustomers = (events: RecordedEvent[]) => transport.publish(eventsTopic('customers', prefix), events.map((e) => toKafkaMessage(e, 'crm.customers')));

  beforeAll(async () => {
    db = await freshDatabase();
    await transport.ensureTopics([{ topic: eventsTopic('customers', prefix), partitions: 2 }, { topic: eventsTopic('engagement', prefix), partitions: 2 }]);
    engagement = await startService('engagement', {
      KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '2', AUTH_DEV_SECRET: TEST_AUTH_SECRET, DATABASE_URL: db.url,
    });
    await publishCustomers([registered(x, '2026-01-01'), registered(planned, '2026-03-01', 'am-plan'), registered(idle, '2026-03-01', 'am-plan'),
      registered(flagged, '2026-01-01', 'am-old')]);
    await pollUntil(async () => Number((await db.pool.query('SELECT count(*) FROM customer_directory')).rows[0].count) === 4 || undefined, { what: 'the directory' });
  }, 120_000);

  afterAll(async () => {
    await engagement?.stop();
    await transport.close();
    await db?.drop();
  });

  const call = (method: string, path: string, body?: unknown, role = 'account_manager') => callApi(engagement.url, method, path, { body, role });
  const interaction = (customerId: string, extra: object = {}) => ({
    customerId, channel: 'phone', direction: 'outbound', subject: 'renewal', outcome: 'asked for a quote', occurredAt: '2026-03-02T02:00:00Z', ...extra,
  });
  const appended = async () => Number((await db.pool.query(`SELECT count(*) FROM events WHERE stream_id LIKE 'interactions-%'`)).rows[0].count);
  const followUps = async (query: string, count = 1) => pollUntil(async () => {
    const r = await call('GET', `/v1/follow-ups?${query}`);
    return r.status === 200 && r.body.items.length >= count ? r.body.items : undefined;
  }, { what: `${count} follow-ups ${query}` });
  const closeDay = async (businessDate: string) => {
    const r = await call('POST', '/v1/operations/close-day', { businessDate });
    expect([r.status, r.body.status]).toEqual([200, 'completed']);
    return r.body;
  };
  const typesIn = async (customerId: string) =>
    (await db.pool.query('SELECT event_type FROM events WHERE stream_id = $1 ORDER BY stream_version', [`interactions-${customerId}`])).rows.map((r) => r.event_type);

  it('refuses bad input with a problem naming the field and appends nothing', async () => {
    await pollUntil(async () => ((await appended()) === 4 ? true : undefined), { what: 'the contact plans of the four registered customers' });
    const before = await appended();
    const cases: Array<[object, number, string]> = [
      [interaction(x, { channel: 'fax' }), 400, 'channel'],
      [interaction(x, { direction: 'sideways' }), 400, 'direction'],
      [interaction(x, { occurredAt: 'yesterday' }), 400, 'occurredAt'],
      [interaction(x, { nextFollowUpOn: '2026-02-30' }), 400, 'nextFollowUpOn'],
      [interaction(x, { nextFollowUpOn: '2026-03-01' }), 400, 'nextFollowUpOn'],
      [interaction(randomUUID()), 422, 'customerId'],
    ];
    for (const [body, status, field] of cases) {
      const r = await call('POST', '/v1/interactions', body);
      expect([r.status, r.type]).toEqual([status, expect.stringContaining('application/problem+json')]);
      expect(JSON.stringify(r.body)).toContain(field);
    }
    const unknown = await call('POST', `/v1/follow-ups/${randomUUID()}/complete`);
    expect([unknown.status, unknown.body.type]).toEqual([404, expect.stringContaining('follow-up-not-found')]);
    expect((await call('GET', '/v1/follow-ups?status=late')).status).toBe(400);
    expect((await call('GET', '/v1/follow-ups?dueBefore=soon')).status).toBe(400);
    expect((await call('GET', `/v1/customers/${x}/interactions?cursor=abc`)).status).toBe(400);
    expect(await appended()).toBe(before);
  });

  it('turns an interaction\'s next step into a due follow-up, missed at the close after its date; a done one cannot be done again', async () => {
    const first = await call('POST', '/v1/interactions', interaction(x, { nextFollowUpOn: '2026-03-09' }), 'sales');
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: expect.any(String), followUpId: expect.any(String) });
    const second = await call('POST', '/v1/interactions', interaction(x, { channel: 'wechat', occurredAt: '2026-03-03T02:00:00Z', nextFollowUpOn: '2026-03-05' }));
    const third = await call('POST', '/v1/interactions', interaction(x, { channel: 'visit', direction: 'inbound', occurredAt: '2026-03-04T02:00:00Z' }));
    expect(third.body.followUpId).toBeNull();

    const due = await followUps('accountManager=am-li&status=due', 2);
    expect(due.map((f: any) => [f.id, f.dueOn, f.reason, f.source.id])).toEqual([
      [second.body.followUpId, '2026-03-05', 'interaction', second.body.id], [first.body.followUpId, '2026-03-09', 'interaction', first.body.id]]);
    expect((await call('GET', '/v1/follow-ups?accountManager=am-li&status=due&dueBefore=2026-03-09')).body.items.map((f: any) => f.id))
      .toEqual([second.body.followUpId]);

    const done = await call('POST', `/v1/follow-ups/${second.body.followUpId}/complete`);
    expect([done.status, done.body.status]).toEqual([200, 'done']);
    const again = await call('POST', `/v1/follow-ups/${second.body.followUpId}/complete`);
    expect([again.status, again.body.type]).toEqual([409, expect.stringContaining('follow-up-already-done')]);

    await closeDay('2026-03-08');
    expect((await typesIn(x)).filter((t) => t === 'FollowUpMissed')).toEqual([]);
    await closeDay('2026-03-10');
    const missed = await followUps('status=missed');
    expect(missed.map((f: any) => [f.id, f.missedOn])).toEqual([[first.body.followUpId, '2026-03-10']]);
    expect((await followUps('status=done')).map((f: any) => f.id)).toEqual([second.body.followUpId]);

    await pollUntil(async () => ((await call('GET', `/v1/customers/${x}/interactions`)).body.items.length === 3 || undefined), { what: 'three interactions' });
    const page1 = await call('GET', `/v1/customers/${x}/interactions?limit=2`);
    expect(page1.body.items.map((i: any) => i.id)).toEqual([third.body.id, second.body.id]);
    const page2 = await call('GET', `/v1/customers/${x}/interactions?limit=2&cursor=${page1.body.nextCursor}`);
    expect([page2.body.items.map((i: any) => i.id), page2.body.nextCursor]).toEqual([[first.body.id], null]);
  });

  it('schedules the contact plan\'s follow-up on the close of its notice date, by the class\'s cadence, touching only customers due', async () => {
    await publishCustomers([event('CustomerAbcClassChanged', planned, `customer-${planned}`, '2026-03-02T02:00:00.000Z', {
      customerId: planned, abcClass: 'A', previousClass: null, businessDate: '2026-03-02',
      inputs: { trailingRevenue: 900_000, totalRevenue: 1_000_000, coveredBefore: 0, reportingCurrency: 'CNY', policyVersion: 1 } })]);
    await pollUntil(async () => ((await typesIn(planned)).length === 2 ? true : undefined), { what: 'the class change in the plan' });
    const scheduleOf = async (customerId: string) => (await db.pool.query(
      `SELECT to_char(due_on, 'YYYY-MM-DD') AS d FROM stream_schedule WHERE stream_id = $1`, [`interactions-${customerId}`])).rows[0]?.d;
    // A: 30 days after registration (2026-03-01) is 2026-03-31, its notice date a week before; unclassified (C): 180 days.
    expect([await scheduleOf(planned), await scheduleOf(idle)]).toEqual(['2026-03-24', '2026-08-21']);

    await closeDay('2026-03-23');
    expect(await typesIn(planned)).toEqual(['ContactPlanChanged', 'ContactPlanChanged']);
    await closeDay('2026-03-24');
    expect(await typesIn(planned)).toEqual(['ContactPlanChanged', 'ContactPlanChanged', 'FollowUpScheduled']);
    expect(await typesIn(idle)).toEqual(['ContactPlanChanged']);
    const [plan] = await followUps('accountManager=am-plan');
    expect(plan).toMatchObject({ customerId: planned, dueOn: '2026-03-31', reason: 'contact-plan', status: 'due',
      source: { kind: 'contact-plan', cadenceDays: 30, lastContactOn: '2026-03-01', planVersion: 1 } });
  });

  it('gives the account manager one retention follow-up per ChurnRiskFlagged, however often it is delivered', async () => {
    const flag = event('ChurnRiskFlagged', flagged, `churn-${flagged}`, '2026-03-25T15:00:00.000Z', {
      customerId: flagged, accountManager: 'am-retention', score: 72, signals: [{ code: 'spend-drop', points: 72, detail: 'spend fell 60 %' }],
      on: '2026-03-25', causedBy: null, policyVersion: 1,
    });
    const message = toKafkaMessage(flag, 'crm.engagement');
    await transport.publish(eventsTopic('engagement', prefix), [message]);
    await transport.publish(eventsTopic('engagement', prefix), [message]);
    const [retention] = await followUps('accountManager=am-retention');
    expect(retention).toMatchObject({ customerId: flagged, reason: 'retention', dueOn: '2026-03-28', status: 'due', source: { kind: 'retention', id: flag.id } });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await call('GET', '/v1/follow-ups?accountManager=am-retention')).body.items).toHaveLength(1);
    expect((await typesIn(flagged)).filter((t) => t === 'FollowUpScheduled')).toHaveLength(1);
  });

  it('changes the plan\'s rules as versions (admin only), a later class change planning by the version in force', async () => {
    const rules = { cadenceDays: { A: 20, B: 60, C: 120 }, noticeDays: 7, retentionDueInDays: 3 };
    expect((await call('PUT', '/v1/contact-plan/policy', rules)).status).toBe(403);
    const disordered = await call('PUT', '/v1/contact-plan/policy', { ...rules, cadenceDays: { A: 90, B: 60, C: 120 } }, 'admin');
    expect([disordered.status, disordered.body.type, JSON.stringify(disordered.body)]).toEqual([400, expect.stringContaining('cadence-out-of-order'), expect.stringContaining('cadenceDays')]);
    const fractional = await call('PUT', '/v1/contact-plan/policy', { ...rules, noticeDays: 1.5 }, 'admin');
    expect([fractional.status, JSON.stringify(fractional.body)]).toEqual([400, expect.stringContaining('noticeDays')]);
    expect((await call('PUT', '/v1/contact-plan/policy', rules, 'admin')).body).toEqual({ version: 2, changed: true });
    expect((await call('GET', '/v1/contact-plan/policy')).body).toEqual({ version: 2, ...rules });

    await publishCustomers([event('CustomerAbcClassChanged', idle, `customer-${idle}`, '2026-03-26T02:00:00.000Z', {
      customerId: idle, abcClass: 'B', previousClass: null, businessDate: '2026-03-26',
      inputs: { trailingRevenue: 90_000, totalRevenue: 100_000, coveredBefore: 800_000, reportingCurrency: 'CNY', policyVersion: 1 } })]);
    const plans = async (customerId: string) => (await db.pool.query(
      `SELECT data FROM events WHERE stream_id = $1 AND event_type = 'ContactPlanChanged' ORDER BY stream_version`, [`interactions-${customerId}`])).rows.map((r) => r.data);
    const [registration, classChange] = await pollUntil(async () => ((await plans(idle)).length === 2 ? plans(idle) : undefined), { what: 'the class change under version 2' });
    expect(registration).toMatchObject({ cadenceDays: 180, planVersion: 1 });
    expect(classChange).toMatchObject({ abcClass: 'B', cadenceDays: 60, planVersion: 2, nextDueOn: '2026-04-30', cause: { kind: 'class-change' } });
  });

  it('rebuilds the interactions and follow-ups read models equal to live', async () => {
    for (const [name, table] of [['interactions', 'engagement_interactions'], ['follow-ups', 'engagement_follow_ups']]) {
      const rows = async () => (await db.pool.query(`SELECT id, doc FROM ${table} ORDER BY id`)).rows;
      const live = await rows();
      expect(live.length).toBeGreaterThan(2);
      expect((await call('POST', `/v1/admin/projections/${name}/rebuild`, undefined, 'admin')).status).toBe(202);
      await pollUntil(async () => (await call('GET', `/v1/admin/projections/${name}/rebuild`, undefined, 'admin')).body.status === 'completed' || undefined,
        { what: `the rebuild of ${name}`, timeoutMs: 30_000 });
      expect(await rows()).toEqual(live);
    }
  });
});
