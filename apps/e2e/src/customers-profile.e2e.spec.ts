import { randomUUID } from 'node:crypto';
import { freshDatabase, kafkaBrokers, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, tokenFor, testTopicPrefix } from '@crm/testing';

/**
 * Customers owns who the customer is: profile merge patches with ETag/If-Match (412), unique
 * tax ids (also under concurrency), contacts sealed per customer, consent with who/when/source,
 * account manager, archive and reactivate; bad input is a 4xx naming the field, nothing appended.
 */
describe('customers: profile, contacts, consent, archive (service as a process, real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let customers: RunningService;

  beforeAll(async () => {
    db = await freshDatabase();
    customers = await startService('customers', {
      KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: testTopicPrefix('e2e'), KAFKA_TOPIC_PARTITIONS: '1',
      AUTH_DEV_SECRET: TEST_AUTH_SECRET, DATABASE_URL: db.url,
    });
  }, 120_000);

  afterAll(async () => {
    await customers?.stop();
    await db?.drop();
  });

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, role = 'sales') => {
    const response = await fetch(`${customers.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(role)}`, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, etag: response.headers.get('etag'), type: response.headers.get('content-type'), body: text ? JSON.parse(text) : undefined };
  };
  const register = async (body: Record<string, unknown> = {}) => {
    const r = await call('POST', '/v1/customers', { kind: 'company', legalName: 'Ningbo Harbour Logistics', ...body });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const events = async (id: string) =>
    (await db.pool.query('SELECT event_type, data, data::text AS text FROM events WHERE stream_id = $1 ORDER BY stream_version', [`customer-${id}`])).rows;
  const taxId = () => `9131${randomUUID().replace(/-/g, '').slice(0, 14).toUpperCase()}`;

  it('patches the profile as a JSON merge patch: one event naming the changed fields, ETag = version, stale If-Match 412', async () => {
    const id = await register({ region: 'East', industry: 'shipping', tags: ['port'] });
    const read = await call('GET', `/v1/customers/${id}`);
    expect(read.etag).toBe('"1"');
    const patched = await call('PATCH', `/v1/customers/${id}`, { region: null, industry: 'logistics', tags: ['Port', 'vip'] },
      { 'content-type': 'application/merge-patch+json', 'if-match': read.etag! });
    expect(patched).toMatchObject({ status: 200, etag: '"2"', body: { id, version: 2 } });
    expect((await events(id))[1]).toMatchObject({ event_type: 'CustomerProfileUpdated',
      data: { customerId: id, changedFields: ['industry', 'region', 'tags'], industry: 'logistics', region: null, tags: ['port', 'vip'] } });
    const after = await call('GET', `/v1/customers/${id}`);
    expect(after).toMatchObject({ etag: '"2"', body: { legalName: 'Ningbo Harbour Logistics', industry: 'logistics', tags: ['port', 'vip'], version: 2 } });
    expect(after.body).not.toHaveProperty('region');

    const stale = await call('PATCH', `/v1/customers/${id}`, { industry: 'other' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.type).toMatch(/application\/problem\+json/);
    expect((await call('PATCH', `/v1/customers/${id}`, { industry: 'logistics' })).body.version).toBe(2);
    expect((await call('PATCH', `/v1/customers/${randomUUID()}`, { industry: 'x' }, { 'if-match': '"3"' })).status).toBe(404);
    expect(await events(id)).toHaveLength(2);
  });

  it('refuses bad patches naming the field, and appends nothing', async () => {
    const id = await register();
    for (const [body, field] of [
      [{ legalName: '  ' }, 'legalName'], [{ legalName: null }, 'legalName'], [{ taxId: 'bad tax id!' }, 'taxId'],
      [{ tags: 'vip' }, 'tags'], [{ region: 7 }, 'region'], [{ kind: 'person' }, 'kind'], [{ colour: 'red' }, 'colour'],
    ] as const) {
      const r = await call('PATCH', `/v1/customers/${id}`, body);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.errors)).toContain(field);
    }
    expect((await call('PATCH', `/v1/customers/${id}`, { region: 'x' }, { 'if-match': 'seven' })).status).toBe(400);
    expect((await call('PATCH', `/v1/customers/not-a-uuid`, { region: 'x' })).status).toBe(400);
    expect((await call('PATCH', `/v1/customers/${id}`, { region: 'x' }, {}, 'collector')).status).toBe(403);
    expect(await events(id)).toHaveLength(1);
  });

  it('refuses a second customer with the same tax id (also racing), naming the existing one; a changed tax id frees the old', async () => {
    const tax = taxId();
    const first = await register({ taxId: tax });
    const second = await call('POST', '/v1/customers', { kind: 'company', legalName: 'Copycat', taxId: tax.toLowerCase() });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ type: 'https://crm.example/problems/duplicate-tax-id', existingCustomerId: first, errors: [{ field: 'taxId' }] });

    const raced = taxId();
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => call('POST', '/v1/customers', { kind: 'company', legalName: `Racer ${i}`, taxId: raced })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const winner = answers.find((a) => a.status === 201)!.body.id;
    for (const a of answers.filter((x) => x.status === 409)) expect(a.body.existingCustomerId).toBe(winner);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM events WHERE event_type = 'CustomerRegistered' AND data->>'taxId' = $1`, [raced]);
    expect(rows[0].n).toBe(1);

    const other = await register();
    expect((await call('PATCH', `/v1/customers/${other}`, { taxId: tax })).body).toMatchObject({ status: 409, existingCustomerId: first });
    expect(await events(other)).toHaveLength(1);
    expect((await call('PATCH', `/v1/customers/${first}`, { taxId: taxId() })).status).toBe(200);
    expect((await call('PATCH', `/v1/customers/${other}`, { taxId: tax })).status).toBe(200);
  });

  it('honours Idempotency-Key on the PUTs and POSTs that change a customer: a retry gets the first answer, another request a 422', async () => {
    const id = await register();
    const key = { 'Idempotency-Key': `consent-${randomUUID()}` };
    const consent = { email: true, sms: false, phone: false, wechat: true, source: 'web form' };
    const first = await call('PUT', `/v1/customers/${id}/consent`, consent, key);
    expect(first.status).toBe(200);
    const retry = await call('PUT', `/v1/customers/${id}/consent`, consent, key);
    expect([retry.status, retry.body, retry.etag]).toEqual([200, first.body, first.etag]);
    const other = await call('PUT', `/v1/customers/${id}/consent`, { ...consent, sms: true }, key);
    expect([other.status, other.body.type]).toEqual([422, expect.stringMatching(/idempotency-key-reused$/)]);
    const archiveKey = { 'Idempotency-Key': `archive-${randomUUID()}` };
    const archived = await call('POST', `/v1/customers/${id}/archive`, { reason: 'merged' }, archiveKey);
    expect((await call('POST', `/v1/customers/${id}/archive`, { reason: 'merged' }, archiveKey)).body).toEqual(archived.body);
    expect((await events(id)).map((e) => e.event_type)).toEqual(['CustomerRegistered', 'CustomerConsentChanged', 'CustomerArchived']);
  });

  it('takes phones as E.164 everywhere, written with or without separators, and refuses others naming the field', async () => {
    const before = Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count);
    for (const phone of ['12345', '138 0013 8000', '+0123456789']) {
      const refused = await call('POST', '/v1/customers', { kind: 'company', legalName: 'Phone Test Co', contacts: [{ name: 'Wu', phone }] });
      expect([refused.status, refused.body.errors?.map((e: { field: string }) => e.field)]).toEqual([400, ['contacts[0].phone']]);
    }
    expect(Number((await db.pool.query('SELECT count(*) FROM events')).rows[0].count)).toBe(before);
    const id = await register({ contacts: [{ name: 'Wu', phone: '+86 138 0013 8000' }] });
    expect((await call('POST', `/v1/customers/${id}/contacts`, { name: 'Qian', phone: '+86 (138) 0013-8001' })).status).toBe(201);
    expect((await call('POST', `/v1/customers/${id}/contacts`, { name: 'Sun', phone: '12345' })).status).toBe(400);
  });

  it('adds, changes and removes contacts, their personal fields sealed in the events', async () => {
    const id = await register();
    const added = await call('POST', `/v1/customers/${id}/contacts`, { name: 'Chen Jie', role: 'buyer', email: 'Chen.Jie@Example.CN', phone: '+8613800138000', birthday: '1984-03-09' });
    expect(added.status).toBe(201);
    const { contactId, version } = added.body;
    expect(contactId).toMatch(/^[0-9a-f-]{36}$/);
    expect(version).toBe(2);
    const stored = (await events(id))[1];
    expect(stored.event_type).toBe('ContactAdded');
    expect(stored.text).not.toMatch(/Chen|chen\.jie|13800138000|1984-03-09/);
    expect(stored.data.role).toBe('buyer');

    expect((await call('PATCH', `/v1/customers/${id}/contacts/${contactId}`, { phone: null, role: 'CFO' })).status).toBe(200);
    const read = await call('GET', `/v1/customers/${id}`);
    expect(read.body.contacts).toEqual([{ contactId, name: 'Chen Jie', role: 'CFO', email: 'chen.jie@example.cn', birthday: '1984-03-09' }]);

    for (const [body, field] of [
      [{ name: '' }, 'name'], [{ email: 'not-an-email' }, 'email'], [{ phone: '138 0013 8000' }, 'phone'], [{ birthday: '1985-02-30' }, 'birthday'], [{ nickname: 'CJ' }, 'nickname'],
    ] as const) {
      const r = await call('POST', `/v1/customers/${id}/contacts`, { name: 'X', ...body });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.errors)).toContain(field);
    }
    expect((await call('PATCH', `/v1/customers/${id}/contacts/${randomUUID()}`, { role: 'x' })).status).toBe(404);
    expect((await call('DELETE', `/v1/customers/${id}/contacts/${randomUUID()}`)).status).toBe(404);
    expect((await call('POST', `/v1/customers/${randomUUID()}/contacts`, { name: 'X' })).status).toBe(404);
    expect(await events(id)).toHaveLength(3);

    expect((await call('DELETE', `/v1/customers/${id}/contacts/${contactId}`)).status).toBe(200);
    expect((await call('GET', `/v1/customers/${id}`)).body.contacts).toEqual([]);
  });

  it('records consent per channel with who, when and the source; refuses unknown channels', async () => {
    const id = await register();
    const put = await call('PUT', `/v1/customers/${id}/consent`, { email: true, sms: false, phone: false, wechat: true, source: 'signed contract' }, {}, 'account_manager');
    expect(put.status).toBe(200);
    const event = (await events(id))[1];
    expect(event).toMatchObject({ event_type: 'CustomerConsentChanged', data: { consent: { email: true, sms: false, phone: false, wechat: true },
      changedChannels: ['email', 'wechat'], source: 'signed contract', changedBy: 'test-account_manager' } });
    expect(Date.parse(event.data.changedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await call('GET', `/v1/customers/${id}`)).body.consent).toMatchObject({ email: true, wechat: true, source: 'signed contract' });

    for (const [body, field] of [
      [{ email: true, sms: false, phone: false, wechat: true, fax: true, source: 'x' }, 'fax'],
      [{ email: 'yes', sms: false, phone: false, wechat: true, source: 'x' }, 'email'],
      [{ email: true, sms: false, phone: false, wechat: true }, 'source'],
    ] as const) {
      const r = await call('PUT', `/v1/customers/${id}/consent`, body);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.errors)).toContain(field);
    }
    expect(await events(id)).toHaveLength(2);
  });

  it('assigns the account manager, archives (changes then 409) and reactivates', async () => {
    const id = await register({ accountManager: 'am-1' });
    expect((await call('PUT', `/v1/customers/${id}/account-manager`, { accountManager: 'am-2' })).body.version).toBe(2);
    expect((await events(id))[1].data).toEqual({ customerId: id, accountManager: 'am-2', previousAccountManager: 'am-1' });
    expect((await call('PUT', `/v1/customers/${id}/account-manager`, {})).status).toBe(400);

    expect((await call('POST', `/v1/customers/${id}/archive`, {})).status).toBe(400);
    expect((await call('POST', `/v1/customers/${id}/archive`, { reason: 'relationship ended' })).body.version).toBe(3);
    const refused = await call('PATCH', `/v1/customers/${id}`, { region: 'West' });
    expect(refused).toMatchObject({ status: 409, body: { type: 'https://crm.example/problems/customer-archived' } });
    expect((await call('POST', `/v1/customers/${id}/contacts`, { name: 'X' })).status).toBe(409);
    expect((await call('GET', `/v1/customers/${id}`)).body).toMatchObject({ archived: true, archiveReason: 'relationship ended' });
    expect((await call('POST', `/v1/customers/${id}/reactivate`)).body.version).toBe(4);
    expect((await call('PATCH', `/v1/customers/${id}`, { region: 'West' })).body.version).toBe(5);
    expect((await call('POST', `/v1/customers/${randomUUID()}/archive`, { reason: 'x' })).status).toBe(404);
  });
});
