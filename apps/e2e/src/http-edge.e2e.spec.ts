import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { freshDatabase, kafkaBrokers, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, tokenFor, testTopicPrefix } from '@crm/testing';

/**
 * The HTTP edge every service shares, black box on customers as a process: per-actor
 * idempotency, body and header limits (413, 431, 415), security headers, no stack traces,
 * per-actor write rate limits (429 + Retry-After), input rules on admin routes, probes that
 * ignore command headers, and ops endpoints that answer without a token only when configured
 * (here PUBLIC_OPS_ENDPOINTS=metrics) and never show personal data or secrets.
 */
describe('HTTP edge: idempotency per actor, limits, headers, rate limits, input rules (service as a process)', () => {
  let db: TestDatabase;
  let customers: RunningService;
  const MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

  beforeAll(async () => {
    db = await freshDatabase();
    customers = await startService('customers', {
      KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: testTopicPrefix('edge'), KAFKA_TOPIC_PARTITIONS: '1',
      AUTH_DEV_SECRET: TEST_AUTH_SECRET, DATABASE_URL: db.url, PERSONAL_DATA_MASTER_KEY: MASTER_KEY,
      RATE_LIMIT_WRITE_BURST: '5', RATE_LIMIT_WRITES_PER_MINUTE: '6', PUBLIC_OPS_ENDPOINTS: 'metrics',
    });
  }, 120_000);

  afterAll(async () => {
    await customers?.stop();
    await db?.drop();
  });

  /** Raw: the body is sent as given (a string keeps `__proto__` a plain key), the token is `subject`'s. */
  const send = async (method: string, path: string, options: { body?: string; subject?: string; role?: string; headers?: Record<string, string>; token?: boolean } = {}) => {
    const token = options.token === false ? undefined : await tokenFor(options.role ?? 'sales', options.subject ?? 'edge-sales');
    const response = await fetch(`${customers.url}${path}`, {
      method, body: options.body,
      headers: { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers },
    });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type') ?? '', headers: response.headers, text, body: /^[{[]/.test(text) ? JSON.parse(text) : undefined };
  };
  const eventCount = async () => (await db.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n as number;
  const register = (legalName: string, key: string, subject: string) =>
    send('POST', '/v1/customers', { body: JSON.stringify({ kind: 'company', legalName }), subject, headers: { 'idempotency-key': key } });

  it('scopes Idempotency-Key per actor: another user replaying my key gets a request of their own, never my answer', async () => {
    const key = randomUUID();
    const mine = await register('Xiamen Tea Traders', key, 'edge-li');
    expect(mine.status).toBe(201);
    const theirs = await register('Xiamen Tea Traders', key, 'edge-zhang');
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    // Each actor's retry answers with their own first response.
    expect((await register('Xiamen Tea Traders', key, 'edge-li')).body.id).toBe(mine.body.id);
    expect((await register('Xiamen Tea Traders', key, 'edge-zhang')).body.id).toBe(theirs.body.id);
    // The same actor's key with another body is still refused, without echoing the stored key.
    const reused = await register('Another Name Co', key, 'edge-li');
    expect([reused.status, reused.body.type]).toEqual([422, expect.stringMatching(/idempotency-key-reused$/)]);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM events WHERE event_type = 'CustomerRegistered' AND data->>'customerId' = ANY($1)`, [[mine.body.id, theirs.body.id]]);
    expect(rows[0].n).toBe(2);
  });

  it('refuses a body over 1 MiB with a 413 and a non-JSON body with a 415, as problem+json, appending nothing', async () => {
    const before = await eventCount();
    const huge = await send('POST', '/v1/customers', { body: JSON.stringify({ kind: 'company', legalName: 'x'.repeat(1024 * 1024) }), subject: 'edge-big' });
    expect([huge.status, huge.type, huge.body.type]).toEqual([413, expect.stringMatching(/^application\/problem\+json/), expect.stringMatching(/content-too-large$/)]);
    // Just under the limit the body is read and judged by its fields: a 400, not a 413.
    const under = await send('POST', '/v1/customers', { body: JSON.stringify({ kind: 'company', legalName: 'y', note: 'z'.repeat(1024 * 1024 - 100) }), subject: 'edge-big' });
    expect([under.status, under.body.errors?.[0]?.field]).toEqual([400, 'note']);
    const form = await send('POST', '/v1/customers', { body: 'kind=company&legalName=Form+Co', subject: 'edge-big', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect([form.status, form.type]).toEqual([415, expect.stringMatching(/^application\/problem\+json/)]);
    expect(await eventCount()).toBe(before);
  });

  it('answers oversized headers with a problem+json 431 carrying the security headers', async () => {
    const answer = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const url = new URL(`${customers.url}/health/live`);
      const request = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, headers: { 'x-padding': 'p'.repeat(20_000) } }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
      });
      request.on('error', reject);
      request.end();
    });
    expect(answer.status).toBe(431);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 431, type: expect.stringMatching(/request-header-fields-too-large$/) });
  });

  it('sends security headers on every answer and never a stack trace', async () => {
    const answers = [
      await send('GET', '/v1/customers?limit=1'),
      await send('GET', `/v1/customers/${randomUUID()}`),
      await send('GET', '/v1/customers', { token: false }),
      await send('GET', '/no/such/route'),
      await send('POST', '/v1/customers', { body: '{"kind":', subject: 'edge-headers' }),
      await send('GET', '/v1/customers/%E0%A4%A'),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 404, 401, 404, 400, 400]);
    for (const answer of answers) {
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(answer.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(answer.headers.get('x-powered-by')).toBeNull();
      expect(answer.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
    }
    for (const refused of answers.slice(1)) expect(refused.type).toMatch(/^application\/problem\+json/);
  });

  it('limits writes per actor with a 429 problem+json and Retry-After; other actors and reads go on', async () => {
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof send>> | undefined;
    for (let i = 0; i < 8; i++) {
      const answer = await send('POST', '/v1/customers', { body: '{}', subject: 'edge-burst' });
      statuses.push(answer.status);
      if (answer.status === 429) limited = answer;
    }
    // Burst 5 at 6 a minute: five writes judged (400, the body is empty), then refused before any handler.
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429, 429]);
    expect(limited!.type).toMatch(/^application\/problem\+json/);
    expect(limited!.body).toMatchObject({ status: 429, type: expect.stringMatching(/too-many-requests$/) });
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await send('POST', '/v1/customers', { body: '{}', subject: 'edge-calm' })).status).toBe(400);
    expect((await send('GET', '/v1/customers?limit=1', { subject: 'edge-burst' })).status).toBe(200);
  });

  it('refuses __proto__, constructor and prototype keys and deep nesting on every route, admin ones included, appending nothing', async () => {
    const before = await eventCount();
    const customer = (await register('Proto Keys Ltd', randomUUID(), 'edge-proto')).body.id as string;
    const after = await eventCount();
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const top = await send('POST', '/v1/customers', { body: `{"kind":"company","legalName":"P","${key}":{"isAdmin":true}}`, subject: 'edge-proto-2' });
      expect([top.status, top.body.errors[0].field]).toEqual([400, key]);
      const nested = await send('PUT', `/v1/customers/${customer}/consent`, { body: `{"email":true,"sms":false,"phone":false,"wechat":false,"source":"form","x":{"${key}":1}}`, subject: 'edge-proto-3' });
      expect(nested.status).toBe(400);
      const admin = await send('POST', '/v1/admin/projections/customers-directory/parked/replay', { body: `{"${key}":{"polluted":true}}`, role: 'admin', subject: `edge-admin-${key}` });
      expect([admin.status, admin.body.errors[0].field]).toEqual([400, key]);
      const skip = await send('POST', `/v1/admin/projections/customers-directory/parked/${randomUUID()}/skip`, { body: `{"reason":"INC-1","${key}":1}`, role: 'admin', subject: `edge-admin-${key}` });
      expect([skip.status, skip.body.errors[0].field]).toEqual([400, key]);
    }
    let deep: unknown = 1;
    for (let i = 0; i < 60; i++) deep = [deep];
    // Each admin call by another subject: the burst of 5 writes (this spec's rate limit) is per actor.
    const nestedReplay = await send('POST', '/v1/admin/projections/customers-directory/parked/replay', { body: JSON.stringify(deep), role: 'admin', subject: 'edge-admin-deep' });
    expect([nestedReplay.status, nestedReplay.body.type]).toEqual([400, expect.stringMatching(/validation$/)]);
    const rebuildWithField = await send('POST', '/v1/admin/projections/customers-directory/rebuild', { body: '{"force":true}', role: 'admin', subject: 'edge-admin-rebuild' });
    expect([rebuildWithField.status, rebuildWithField.body.errors[0].field]).toEqual([400, 'force']);
    expect(after).toBe(before + 1);
    expect(await eventCount()).toBe(after);
  });

  it('answers the probes whatever command headers and body come with them', async () => {
    for (const path of ['/health/live', '/health/ready']) {
      const answer = await fetch(`${customers.url}${path}`, { method: 'GET', headers: {
        'idempotency-key': '', 'if-match': 'garbage', authorization: 'Bearer nonsense', 'content-type': 'application/json', 'x-correlation-id': '\t',
      } });
      expect(answer.status).toBe(200);
    }
  });

  it('serves /metrics without a token as configured, /docs only with one, and neither shows personal data or secrets', async () => {
    const name = `Secretive Person ${randomUUID().slice(0, 8)}`;
    const email = `hidden.${randomUUID().slice(0, 8)}@example.cn`;
    const registered = await send('POST', '/v1/customers', { subject: 'edge-pii', body: JSON.stringify({ kind: 'person', legalName: name, contacts: [{ name, email }] }) });
    expect(registered.status).toBe(201);
    const metrics = await send('GET', '/metrics', { token: false });
    expect(metrics.status).toBe(200);
    expect((await send('GET', '/docs-json', { token: false })).status).toBe(401);
    expect((await send('GET', '/docs', { token: false })).status).toBe(401);
    const docs = await send('GET', '/docs-json', { role: 'collector' });
    expect([docs.status, Object.keys(docs.body.paths)]).toEqual([200, expect.arrayContaining(['/v1/customers'])]);
    for (const text of [metrics.text, docs.text]) {
      for (const secret of [name, email, registered.body.id, TEST_AUTH_SECRET, MASTER_KEY, db.url, new URL(db.url).pathname.slice(1)]) expect(text).not.toContain(secret);
    }
    expect(metrics.text).toMatch(/crm_http_request_duration_seconds_bucket\{[^}]*route="\/v1\/customers"/);
  });
});
