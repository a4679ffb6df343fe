import { randomUUID } from 'node:crypto';
import { eventsTopic } from '@crm/contracts';
import { IncomingMessage, KafkajsTransport } from '@crm/eventing';
import {
  freshDatabase, kafkaBrokers, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, tokenFor, testTopicPrefix,
} from '@crm/testing';

/**
 * The vertical slice, black box: POST /v1/customers → event in PostgreSQL → Kafka →
 * engagement's read model → GET; then a rebuild of that read model yields identical rows.
 */
describe('customer registration slice (two services as processes, real PostgreSQL + Kafka)', () => {
  let customersDb: TestDatabase;
  let engagementDb: TestDatabase;
  let customers: RunningService;
  let engagement: RunningService;
  const prefix = testTopicPrefix('e2e');

  beforeAll(async () => {
    [customersDb, engagementDb] = await Promise.all([freshDatabase(), freshDatabase()]);
    const env = { KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '3', AUTH_DEV_SECRET: TEST_AUTH_SECRET };
    [customers, engagement] = await Promise.all([
      startService('customers', { ...env, DATABASE_URL: customersDb.url }),
      startService('engagement', { ...env, DATABASE_URL: engagementDb.url }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([customers?.stop(), engagement?.stop()]);
    await Promise.all([customersDb?.drop(), engagementDb?.drop()]);
  });

  const post = async (body: unknown, headers: Record<string, string> = {}, role = 'sales') =>
    fetch(`${customers.url}/v1/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(role)}`, ...headers },
      body: JSON.stringify(body),
    });
  const eventCount = async () => Number((await customersDb.pool.query('SELECT count(*) FROM events')).rows[0].count);

  it('registers a customer, publishes it, and engagement answers from its read model', async () => {
    const response = await post({ kind: 'company', legalName: 'Hangzhou Lotus Tea Co.', region: 'East', tags: ['tea', 'VIP'] });
    expect(response.status).toBe(201);
    const { id, version } = (await response.json()) as any;
    expect(version).toBe(1);

    const reader = await tokenFor('account_manager');
    const entry = await pollUntil(async () => {
      const r = await fetch(`${engagement.url}/v1/customers/${id}`, { headers: { authorization: `Bearer ${reader}` } });
      return r.status === 200 ? r.json() : undefined;
    }, { what: 'the customer in engagement' });
    expect(entry).toMatchObject({ customerId: id, legalName: 'Hangzhou Lotus Tea Co.', region: 'East', tags: ['tea', 'vip'] });

    const { rows } = await customersDb.pool.query('SELECT metadata FROM events WHERE partition_key = $1', [id]);
    expect(rows[0].metadata.actor).toEqual({ id: 'test-sales', roles: ['sales'] });
  });

  it('carries a well-formed X-Correlation-Id into the event, and replaces a malformed one', async () => {
    const correlationOf = async (value: string) => {
      const response = await post({ kind: 'company', legalName: `Correlated ${value.length}` }, { 'X-Correlation-Id': value });
      const { id } = (await response.json()) as any;
      const { rows: [row] } = await customersDb.pool.query('SELECT metadata FROM events WHERE partition_key = $1', [id]);
      return [response.headers.get('x-correlation-id'), row.metadata.correlationId];
    };
    expect(await correlationOf('order-42:retry.1')).toEqual(['order-42:retry.1', 'order-42:retry.1']);
    const [echoed, stored] = await correlationOf('not ok <script>');
    expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored).toBe(echoed);
    expect(await fetch(`${customers.url}/health/live`).then((r) => r.headers.get('x-powered-by'))).toBeNull();
  });

  it('answers a retried POST with the same Idempotency-Key with the first response and appends nothing', async () => {
    const key = randomUUID();
    const body = { kind: 'person', legalName: 'Li Wei' };
    const first = await (await post(body, { 'Idempotency-Key': key })).json();
    const before = await eventCount();
    const retry = await post(body, { 'Idempotency-Key': key });
    expect(await retry.json()).toEqual(first);
    expect(await eventCount()).toBe(before);
  });

  it('refuses bad input with problem+json naming each field, and appends nothing', async () => {
    const before = await eventCount();
    const response = await post({ kind: 'robot', legalName: '', tags: 'vip', colour: 'red' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problem = (await response.json()) as any;
    expect(problem.type).toMatch(/validation$/);
    expect(problem.errors.map((e: { field: string }) => e.field).sort()).toEqual(['colour', 'kind', 'legalName', 'tags']);

    const fieldsOf = async (body: unknown, headers: Record<string, string> = {}) => {
      const r = await post(body, headers);
      return [r.status, ((await r.json()) as any).errors?.map((e: { field: string }) => e.field)];
    };
    const company = { kind: 'company', legalName: 'Ningbo Port Supplies' };
    // Nested arrays must not slip past the contact checks (and so past sealing).
    expect(await fieldsOf({ ...company, contacts: [[{ name: 'Wang Leakname', email: 'wang@leak.example' }]] })).toEqual([400, ['contacts']]);
    expect(await fieldsOf({ ...company, contacts: [{ name: 'a', email: null }] })).toEqual([400, ['contacts[0].email']]);
    expect(await fieldsOf({ ...company, legalName: '   ' })).toEqual([400, ['legalName']]);
    expect(await fieldsOf({ ...company, legalName: 'nul\u0000byte' })).toEqual([400, ['legalName']]);
    expect(await fieldsOf({ ...company, region: 'broken \ud800 surrogate' })).toEqual([400, ['region']]);
    expect(await fieldsOf(company, { 'Idempotency-Key': 'k'.repeat(8000) })).toEqual([400, ['Idempotency-Key']]);
    const deep = await fetch(`${customers.url}/v1/customers`, { method: 'POST', body: `{"kind":"company","legalName":"x","contacts":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('sales')}` } });
    expect(deep.status).toBe(400);
    expect(await eventCount()).toBe(before);
    const nulQuery = await fetch(`${engagement.url}/v1/customers?region=%00`, { headers: { authorization: `Bearer ${await tokenFor('sales')}` } });
    expect([nulQuery.status, ((await nulQuery.json()) as any).errors?.[0]?.field]).toEqual([400, 'region']);
  });

  it('seals contacts in the store and on Kafka, and erases them by destroying the key, keeping the history intact', async () => {
    const contact = { name: 'Zhang Min', role: 'buyer', email: 'Zhang.Min@Example.cn', phone: '+86 139 0000 1234', birthday: '1985-03-08' };
    const registration = { kind: 'company', legalName: 'Suzhou Silk Works', region: 'East', contacts: [contact] };
    const idempotencyKey = randomUUID();
    const response = await post(registration, { 'Idempotency-Key': idempotencyKey });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as any;
    const call = async (method: string, path: string, role: string, body?: unknown) => {
      const r = await fetch(`${customers.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(role)}` } });
      return { status: r.status, body: (await r.json()) as any };
    };
    expect((await call('GET', `/v1/customers/${id}`, 'sales')).body).toMatchObject({
      legalName: 'Suzhou Silk Works', personalDataErased: false, contacts: [{ ...contact, email: 'zhang.min@example.cn' }] });
    const { rows: [fresh] } = await customersDb.pool.query(`SELECT request_hash FROM idempotency_keys WHERE response->>'id' = $1`, [id]);
    expect(fresh.request_hash).toMatch(/^[0-9a-f]{64}$/);

    const plaintext = /zhang|139 0000|1985-03-08/i;
    const storedData = async () => (await customersDb.pool.query(`SELECT data::text AS data FROM events WHERE stream_id = $1 AND event_type = 'CustomerRegistered'`, [`customer-${id}`])).rows[0].data;
    const before = await storedData();
    expect(before).not.toMatch(plaintext);
    expect(before).toMatch(/"role": "buyer"/);
    expect(before).toMatch(/sealed:v1:/);
    const published = await firstMessageFor(id);
    expect(published.value!.toString('utf8')).not.toMatch(plaintext);
    expect(published.value!.toString('utf8')).toMatch(/sealed:v1:/);

    expect((await call('POST', `/v1/customers/${id}/personal-data/erasure`, 'sales', { reason: 'DSR-1' })).status).toBe(403);
    const erased = await call('POST', `/v1/customers/${id}/personal-data/erasure`, 'admin', { reason: 'DSR-2026-17' });
    expect(erased).toEqual({ status: 200, body: { id, personalDataErased: true, version: 2 } });
    const badBirthday = await post({ kind: 'company', legalName: 'X', contacts: [{ name: 'Y', birthday: '1985-02-30' }] });
    expect(((await badBirthday.json()) as any).errors.map((e: any) => e.field)).toEqual(['contacts[0].birthday']);
    expect((await call('POST', `/v1/customers/${id}/personal-data/erasure`, 'admin', { reason: 'DSR-2' })).body.version).toBe(2);

    expect((await call('GET', `/v1/customers/${id}`, 'sales')).body).toMatchObject({ legalName: 'Suzhou Silk Works', region: 'East', personalDataErased: true,
      contacts: [{ name: '[erased]', role: 'buyer', email: '[erased]', phone: '[erased]', birthday: '[erased]' }] });
    const history = (await call('GET', `/v1/customers/${id}/history`, 'auditor')).body;
    expect(history.integrity).toMatchObject({ valid: true, events: 2 });
    // Customers' own events (engagement's contact plan for the registration may be in the history too).
    const own = history.events.filter((e: any) => e.service === 'customers');
    expect(own.map((e: any) => e.type)).toEqual(['CustomerRegistered', 'CustomerPersonalDataErased']);
    expect(own[0].data.contacts[0].name).toBe('[erased]');
    expect(await storedData()).toBe(before);
    const { rows: [key] } = await customersDb.pool.query('SELECT wrapped_key FROM personal_data_keys WHERE subject = $1', [id]);
    expect(key.wrapped_key).toBeNull();
    // The registration's idempotency record hashed the body, contacts included: that hash is
    // gone, yet a retry of the registration still answers with the first customer.
    const { rows: [record] } = await customersDb.pool.query(`SELECT request_hash FROM idempotency_keys WHERE response->>'id' = $1`, [id]);
    expect(record.request_hash).toBe('forgotten');
    expect((await (await post(registration, { 'Idempotency-Key': idempotencyKey })).json())).toEqual({ id, version: 1 });
    for (const reason of ['<Zhang Min asked>', 'Zhang Sanfeng asked']) {
      const badReference = await call('POST', `/v1/customers/${id}/personal-data/erasure`, 'admin', { reason });
      expect([badReference.status, badReference.body.errors?.[0]?.field]).toEqual([400, 'reason']);
    }
    expect((await call('POST', `/v1/customers/${randomUUID()}/personal-data/erasure`, 'admin', { reason: 'x' })).status).toBe(404);
  });

  /** The customer's CustomerRegistered as a consumer of the topic receives it. */
  async function firstMessageFor(customerId: string): Promise<IncomingMessage> {
    const transport = new KafkajsTransport({ brokers: kafkaBrokers(), clientId: 'slice-e2e', quiet: true });
    let found: IncomingMessage | undefined;
    const subscription = await transport.subscribe({
      groupId: `slice-e2e-${randomUUID()}`, topics: [eventsTopic('customers', prefix)], fromBeginning: true,
      eachBatch: async (batch) => {
        found ??= batch.messages.find((m) => m.key === customerId && m.headers.ce_type === 'com.example.crm.customers.CustomerRegistered');
      },
    });
    try {
      return await pollUntil(async () => found, { what: 'the event on Kafka', timeoutMs: 30_000 });
    } finally {
      await subscription.stop();
      await transport.close();
    }
  }

  it('requires a token and a permitted role', async () => {
    const anonymous = await fetch(`${customers.url}/v1/customers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(anonymous.status).toBe(401);
    expect((await post({ kind: 'company', legalName: 'X' }, {}, 'collector')).status).toBe(403);
    const lowerCaseScheme = await fetch(`${customers.url}/v1/customers`, { method: 'POST', body: JSON.stringify({ kind: 'company', legalName: 'Lower Case Scheme Co.' }),
      headers: { 'content-type': 'application/json', authorization: `bearer ${await tokenFor('sales')}` } });
    expect(lowerCaseScheme.status).toBe(201);
  });

  it('rebuilds the read model from offset zero into identical rows while queries keep answering', async () => {
    for (let i = 0; i < 20; i++) expect((await post({ kind: 'company', legalName: `Batch ${i}` })).status).toBe(201);
    const expected = Number((await customersDb.pool.query(`SELECT count(*) FROM events WHERE event_type = 'CustomerRegistered'`)).rows[0].count);
    const snapshot = async () => (await engagementDb.pool.query('SELECT id, doc FROM customer_directory ORDER BY id')).rows;
    await pollUntil(async () => (await snapshot()).length === expected, { what: 'all customers projected' });
    const live = await snapshot();

    const admin = await tokenFor('admin');
    const started = await fetch(`${engagement.url}/v1/admin/projections/customer-directory/rebuild`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    expect(started.status).toBe(202);
    const reader = await tokenFor('sales');
    const listed = await fetch(`${engagement.url}/v1/customers?limit=500`, { headers: { authorization: `Bearer ${reader}` } });
    expect(((await listed.json()) as any).items.length).toBe(expected);
    await pollUntil(async () => {
      const r = await fetch(`${engagement.url}/v1/admin/projections/customer-directory/rebuild`, { headers: { authorization: `Bearer ${admin}` } });
      return ((await r.json()) as any).status === 'completed';
    }, { what: 'rebuild completed', timeoutMs: 60_000 });
    expect(await snapshot()).toEqual(live);
  });

  it('lets an admin skip a parked event by id, naming what is wrong', async () => {
    const skip = async (eventId: string, body: unknown, role = 'admin') => {
      const r = await fetch(`${engagement.url}/v1/admin/projections/customer-directory/parked/${eventId}/skip`, { method: 'POST', body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(role)}` } });
      return [r.status, ((await r.json()) as any).type];
    };
    expect(await skip(randomUUID(), { reason: 'INC-7' })).toEqual([404, expect.stringMatching(/not-found$/)]);
    expect(await skip(randomUUID(), {})).toEqual([400, expect.stringMatching(/validation$/)]);
    expect((await skip(randomUUID(), { reason: 'INC-7' }, 'collector'))[0]).toBe(403);
  });

  it('exposes Prometheus metrics and an OpenAPI document', async () => {
    // Any valid token: PUBLIC_OPS_ENDPOINTS is not set, so neither answers without one.
    const withToken = { headers: { authorization: `Bearer ${await tokenFor('auditor')}` } };
    expect((await fetch(`${customers.url}/metrics`)).status).toBe(401);
    const metrics = await (await fetch(`${customers.url}/metrics`, withToken)).text();
    expect(metrics).toMatch(/crm_http_request_duration_seconds_bucket\{[^}]*route="\/v1\/customers"/);
    expect(metrics).toMatch(/crm_events_appended_total\{type="CustomerRegistered"\} \d+/);
    expect(metrics).toMatch(/\nnodejs_eventloop_lag_seconds \d/);
    expect(metrics).toMatch(/\nprocess_resident_memory_bytes \d+/);
    expect(metrics).not.toMatch(/crm_process_|crm_nodejs_/);
    expect((await fetch(`${customers.url}/docs-json`)).status).toBe(401);
    const openapi = (await (await fetch(`${customers.url}/docs-json`, withToken)).json()) as any;
    expect(Object.keys(openapi.paths)).toContain('/v1/customers');
  });
});
