import { randomUUID } from 'node:crypto';
import { eventsTopic } from '@crm/contracts';
import { KafkajsTransport, RecordedEvent, toKafkaMessage } from '@crm/eventing';
import { callApi, freshDatabase, kafkaBrokers, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, testTopicPrefix } from '@crm/testing';

/**
 * The care calendar with engagement as a process on real PostgreSQL + Kafka, customers' events
 * published as real events of their contract on the customers topic: a ContactCareDateDue
 * (delivered twice) is one birthday task on its channels (none consented: a task with no
 * channel); a default holiday (Spring Festival 2026-02-17) and a configured one make tasks on
 * engagement's day close for customers with a consented channel only (not archived, not
 * without consent), once per date; the calendar lists by date in keyset pages; holidays are
 * configured by admins as versions; the care-tasks read model rebuilds equal to live.
 */
describe('engagement: the care calendar (service as a process, real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let engagement: RunningService;
  const prefix = testTopicPrefix('e2e');
  const transport = new KafkajsTransport({ clientId: 'e2e-engagement-care', brokers: kafkaBrokers(), quiet: true });
  const [consenting, silent, archived] = [randomUUID(), randomUUID(), randomUUID()];
  const contact = randomUUID();

  let n = 0;
  const event = (type: string, subject: string, occurredAt: string, data: object): RecordedEvent => ({
    id: randomUUID(), type, schemaVersion: 1, occurredAt, streamId: `customer-${subject}`, streamVersion: ++n, partitionKey: subject, globalPosition: String(n),
    transactionId: '1', hash: '', metadata: { actor: { id: 'upstream', roles: ['admin'] }, correlationId: 'c', causationId: 'c' }, data,
  } as RecordedEvent);
  const registered = (customerId: string) => event('CustomerRegistered', customerId, '2026-01-05T02:00:00.000Z',
    { customerId, kind: 'company', legalName: `Co ${customerId.slice(0, 4)}`, accountManager: 'am-li', tags: [] });
  const consent = (customerId: string, email: boolean, wechat: boolean) => event('CustomerConsentChanged', customerId, '2026-01-06T02:00:00.000Z', {
    customerId, consent: { email, sms: false, phone: false, wechat }, changedChannels: ['email', 'wechat'], source: 'signed contract', changedBy: 'am-li',
    changedAt: '2026-01-06T02:00:00.000Z' });
  const publishCustomers = (events: RecordedEvent[]) => transport.publish(eventsTopic('customers', prefix), events.map((e) => toKafkaMessage(e, 'crm.customers')));

  beforeAll(async () => {
    db = await freshDatabase();
    await transport.ensureTopics([{ topic: eventsTopic('customers', prefix), partitions: 2 }]);
    engagement = await startService('engagement', {
      KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '2', AUTH_DEV_SECRET: TEST_AUTH_SECRET, DATABASE_URL: db.url,
    });
    await publishCustomers([registered(consenting), consent(consenting, true, true), registered(silent), registered(archived), consent(archived, true, false),
      event('CustomerArchived', archived, '2026-01-07T02:00:00.000Z', { customerId: archived, reason: 'closed down' })]);
    await pollUntil(async () => Number((await db.pool.query(
      `SELECT count(*) FROM customer_directory WHERE (doc->>'archived')::boolean OR (doc->'consent'->>'email')::boolean`)).rows[0].count) === 2 || undefined,
    { what: 'the directory with consent and archiving' });
  }, 120_000);

  afterAll(async () => {
    await engagement?.stop();
    await transport.close();
    await db?.drop();
  });

  const call = (method: string, path: string, body?: unknown, role = 'account_manager') => callApi(engagement.url, method, path, { body, role });
  const tasks = async () => (await db.pool.query(
    `SELECT data FROM events WHERE event_type = 'CareTaskCreated' ORDER BY global_position`)).rows.map((r) => r.data);
  const calendar = (from: string, to: string, count: number) => pollUntil(async () => {
    const r = await call('GET', `/v1/care-calendar?from=${from}&to=${to}`);
    return r.status === 200 && r.body.items.length === count ? r.body.items : undefined;
  }, { what: `${count} care tasks from ${from} to ${to}` });
  const closeDay = async (businessDate: string) => {
    const r = await call('POST', '/v1/operations/close-day', { businessDate });
    expect([r.status, r.body.status]).toEqual([200, 'completed']);
    return r.body;
  };

  it('makes one birthday task per ContactCareDateDue, on the channels customers sent (an empty list too)', async () => {
    const due = event('ContactCareDateDue', consenting, '2026-01-20T16:00:00.000Z', { customerId: consenting, contactId: contact, occasion: 'birthday', on: '2026-01-21', channels: ['wechat', 'email'] });
    const noChannel = event('ContactCareDateDue', silent, '2026-01-20T16:00:00.000Z', { customerId: silent, contactId: randomUUID(), occasion: 'birthday', on: '2026-01-21', channels: [] });
    await publishCustomers([due, noChannel]);
    await publishCustomers([{ ...due, id: randomUUID() }]);
    const items = await calendar('2026-01-21', '2026-01-21', 2);
    expect(items.map((t: any) => [t.customerId, t.contactId, t.occasion, t.channels]).sort()).toEqual([
      [consenting, contact, 'birthday', ['email', 'wechat']], [silent, expect.any(String), 'birthday', []]].sort());
    await new Promise((r) => setTimeout(r, 1000));
    expect((await tasks()).filter((t) => t.contactId === contact)).toHaveLength(1);
  });

  it('makes holiday tasks on engagement\'s close of a default holiday, only for customers with a consented channel', async () => {
    expect((await call('GET', '/v1/care/holidays')).body).toMatchObject({ version: 0, holidays: [
      { name: 'Spring Festival', dates: expect.arrayContaining(['2026-02-17', '2027-02-06']) },
      { name: 'Mid-Autumn Festival', dates: expect.arrayContaining(['2026-09-25', '2027-09-15']) }] });
    const before = (await tasks()).length;
    await closeDay('2026-02-16');
    expect((await tasks()).length).toBe(before);
    const close = await closeDay('2026-02-17');
    expect(close.recorded).toMatchObject({ CareTaskCreated: 1 });
    const [task] = await calendar('2026-02-01', '2026-02-28', 1);
    expect(task).toMatchObject({ customerId: consenting, contactId: null, occasion: 'holiday', holiday: 'Spring Festival', on: '2026-02-17',
      channels: ['email', 'wechat'], holidaysVersion: 0 });
    expect((await call('POST', '/v1/operations/close-day', { businessDate: '2026-02-17' })).body).toMatchObject({ alreadyClosed: true });
  });

  it('configures holidays as versions (admin only, dates checked), and a configured holiday makes tasks on its close', async () => {
    const list = { holidays: [{ name: 'Spring Festival', dates: ['2027-02-06'] }, { name: 'Company Day', dates: ['2026-03-18'] }] };
    expect((await call('PUT', '/v1/care/holidays', list, 'account_manager')).status).toBe(403);
    const bad = await call('PUT', '/v1/care/holidays', { holidays: [{ name: 'Company Day', dates: ['2026-13-01'] }] }, 'admin');
    expect([bad.status, JSON.stringify(bad.body)]).toEqual([400, expect.stringContaining('dates')]);
    const blank = await call('PUT', '/v1/care/holidays', { holidays: [{ name: ' ', dates: [] }] }, 'admin');
    expect([blank.status, JSON.stringify(blank.body)]).toEqual([400, expect.stringContaining('name')]);
    expect((await call('PUT', '/v1/care/holidays', list, 'admin')).body).toEqual({ version: 1, changed: true });
    expect((await call('PUT', '/v1/care/holidays', list, 'admin')).body).toEqual({ version: 1, changed: false });
    const close = await closeDay('2026-03-18');
    expect(close.recorded).toMatchObject({ CareTaskCreated: 1 });
    const [task] = await calendar('2026-03-18', '2026-03-18', 1);
    expect(task).toMatchObject({ customerId: consenting, holiday: 'Company Day', holidaysVersion: 1 });
  });

  it('lists the calendar by date in keyset pages and refuses a range that is not one', async () => {
    const all = await calendar('2026-01-01', '2026-12-31', 4);
    expect(all.map((t: any) => t.on)).toEqual(['2026-01-21', '2026-01-21', '2026-02-17', '2026-03-18']);
    const page1 = await call('GET', '/v1/care-calendar?from=2026-01-01&to=2026-12-31&limit=3');
    const page2 = await call('GET', `/v1/care-calendar?from=2026-01-01&to=2026-12-31&limit=3&cursor=${page1.body.nextCursor}`);
    expect([...page1.body.items, ...page2.body.items].map((t: any) => t.id)).toEqual(all.map((t: any) => t.id));
    expect(page2.body.nextCursor).toBeNull();
    for (const [query, field] of [['from=2026-02-30&to=2026-03-01', 'from'], ['from=2026-03-01&to=2026-02-01', 'to'], ['from=2026-01-01', 'to'],
      ['from=2026-01-01&to=2026-02-01&cursor=xyz', 'cursor']]) {
      const r = await call('GET', `/v1/care-calendar?${query}`);
      expect([r.status, JSON.stringify(r.body)]).toEqual([400, expect.stringContaining(field)]);
    }
  });

  it('rebuilds the care-tasks read model equal to live', async () => {
    const rows = async () => (await db.pool.query('SELECT id, doc FROM engagement_care_tasks ORDER BY id')).rows;
    const live = await rows();
    expect(live).toHaveLength(4);
    expect((await call('POST', '/v1/admin/projections/care-tasks/rebuild', undefined, 'admin')).status).toBe(202);
    await pollUntil(async () => (await call('GET', '/v1/admin/projections/care-tasks/rebuild', undefined, 'admin')).body.status === 'completed' || undefined,
      { what: 'the rebuild of care-tasks', timeoutMs: 30_000 });
    expect(await rows()).toEqual(live);
  });
});
