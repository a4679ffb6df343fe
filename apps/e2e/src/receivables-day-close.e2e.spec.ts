import { randomUUID } from 'node:crypto';
import { eventsTopic } from '@crm/contracts';
import { KafkajsTransport, RecordedEvent, toKafkaMessage } from '@crm/eventing';
import { freshDatabase, kafkaBrokers, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, tokenFor, testTopicPrefix } from '@crm/testing';

const DUE = 400;
const NOT_YET_DUE = 50;

/**
 * Day close as work: it touches only the accounts due, survives a SIGKILL in the middle of the
 * run (the restarted service resumes it), and closes each account exactly once.
 */
describe('receivables day close (process, real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let service: RunningService;
  let transport: KafkajsTransport;
  const prefix = testTopicPrefix('e2e');
  const due = Array.from({ length: DUE }, () => randomUUID());
  const later = Array.from({ length: NOT_YET_DUE }, () => randomUUID());
  const env = () => ({ DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '3',
    AUTH_DEV_SECRET: TEST_AUTH_SECRET, CLOSE_DAY_WAIT_MS: '0' });

  const registered = (customerId: string): RecordedEvent => ({
    id: randomUUID(), type: 'CustomerRegistered', schemaVersion: 1, data: { customerId, kind: 'company', legalName: `Co ${customerId.slice(0, 4)}`, tags: [] },
    occurredAt: '2026-01-01T00:00:00.000Z', streamId: `customer-${customerId}`, streamVersion: 1, partitionKey: customerId,
    globalPosition: '0', transactionId: '0', hash: '', metadata: { actor: { id: 'upstream', roles: ['admin'] }, correlationId: 'c', causationId: 'c' },
  });

  async function call(method: string, path: string, body?: unknown, role = 'credit_manager', headers: Record<string, string> = {}) {
    const response = await fetch(`${service.url}${path}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(role)}`, ...headers },
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }
  const issue = (customerId: string, issueDate: string) => call('POST', '/v1/invoices', {
    customerId, currency: 'CNY', issueDate, lines: [{ description: 'Tea', quantity: 1, unitPrice: 10_000 }], terms: { type: 'net', days: 30 },
  }, 'sales');
  const perStream = async (type: string) => new Map((await db.pool.query(
    `SELECT partition_key, count(*)::int AS n FROM events WHERE event_type = $1 GROUP BY 1`, [type])).rows.map((r) => [r.partition_key, r.n]));

  beforeAll(async () => {
    db = await freshDatabase();
    transport = new KafkajsTransport({ brokers: kafkaBrokers(), clientId: 'day-close-e2e', quiet: true });
    const customers = eventsTopic('customers', prefix);
    await transport.ensureTopics([{ topic: customers, partitions: 3 }]);
    await transport.publish(customers, [...due, ...later].map((id) => toKafkaMessage(registered(id), 'crm.customers')));
    service = await startService('receivables', env());
    await pollUntil(async () => (await db.pool.query('SELECT count(*)::int AS n FROM known_customers')).rows[0].n === DUE + NOT_YET_DUE,
      { what: 'customers known to receivables' });
    const work = [...due.map((id) => () => issue(id, '2026-01-01')), ...later.map((id) => () => issue(id, '2026-02-05'))];
    for (let i = 0; i < work.length; i += 10) {
      const answers = await Promise.all(work.slice(i, i + 10).map((w) => w()));
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    }
  }, 180_000);

  afterAll(async () => {
    await service?.stop('SIGKILL');
    await transport?.close();
    await db?.drop();
  });

  it('closes only the accounts due, resumes after a SIGKILL mid-run, and closes each exactly once', async () => {
    const close = await call('POST', '/v1/operations/close-day', { businessDate: '2026-02-10' });
    expect(close.status).toBe(202);
    expect(close.headers.get('location')).toBe('/v1/operations/close-day/2026-02-10');

    // Kill the service while the run is part-way through.
    await pollUntil(async () => (await perStream('InvoiceBecameOverdue')).size > 0, { what: 'the run under way', intervalMs: 10 });
    await service.stop('SIGKILL');
    const atKill = (await perStream('InvoiceBecameOverdue')).size;
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(DUE);

    service = await startService('receivables', env());
    await pollUntil(async () => (await call('GET', '/v1/operations/close-day/2026-02-10')).body.status === 'completed', { what: 'the run completed' });
    const progress = (await call('GET', '/v1/operations/close-day/2026-02-10', undefined, 'auditor')).body;
    expect(progress).toMatchObject({ businessDate: '2026-02-10', status: 'completed', accountsDue: DUE, accountsDone: DUE });

    const overdue = await perStream('InvoiceBecameOverdue');
    const dunned = await perStream('DunningLevelRaised');
    expect([...overdue.keys()].sort()).toEqual([...due].sort());
    expect([...overdue.values()].every((n) => n === 1)).toBe(true);
    expect([...dunned.values()].every((n) => n === 1)).toBe(true);
    expect(later.some((id) => overdue.has(id))).toBe(false);
    // A close run late (the 10th for invoices due on the 31st) records the reminder on the date it closes, when it can be sent.
    expect((await db.pool.query(`SELECT DISTINCT (data->>'level')::int AS level, data->>'action' AS action, data->>'businessDate' AS on
      FROM events WHERE event_type = 'DunningLevelRaised'`)).rows).toEqual([{ level: 1, action: 'reminder_email', on: '2026-02-10' }]);
    // Closing the same date again records nothing.
    expect((await call('POST', '/v1/operations/close-day', { businessDate: '2026-02-10' })).body).toMatchObject({ alreadyClosed: true, recorded: {} });
  });

  it('answers a retried close with its Idempotency-Key with the first answer, and refuses another date under the key', async () => {
    const key = { 'Idempotency-Key': `close-${randomUUID()}` };
    const first = await call('POST', '/v1/operations/close-day', { businessDate: '2026-02-11' }, 'credit_manager', key);
    expect([200, 202]).toContain(first.status);
    expect(first.body).toMatchObject({ businessDate: '2026-02-11', progress: '/v1/operations/close-day/2026-02-11', accounts: expect.any(Number), recorded: expect.any(Object) });
    const retry = await call('POST', '/v1/operations/close-day', { businessDate: '2026-02-11' }, 'credit_manager', key);
    expect([retry.status, retry.body]).toEqual([first.status, first.body]);
    const other = await call('POST', '/v1/operations/close-day', { businessDate: '2026-02-12' }, 'credit_manager', key);
    expect([other.status, other.body.type]).toEqual([422, expect.stringMatching(/idempotency-key-reused$/)]);
    expect((await call('GET', '/v1/operations/close-day/2026-02-12')).status).toBe(404);
  });

  it('a close days late raises one level, dated the close; the next closed day raises the next', async () => {
    const closeAndWait = async (businessDate: string) => {
      const close = await call('POST', '/v1/operations/close-day', { businessDate });
      expect([200, 202]).toContain(close.status);
      await pollUntil(async () => (await call('GET', `/v1/operations/close-day/${businessDate}`)).body.status === 'completed',
        { what: `the close of ${businessDate} completed`, timeoutMs: 120_000 });
    };
    const steps = async () => (await db.pool.query(`SELECT partition_key, array_agg(data->>'action' || '@' || (data->>'businessDate') ORDER BY stream_version) AS steps
      FROM events WHERE event_type = 'DunningLevelRaised' GROUP BY 1`)).rows;
    await closeAndWait('2026-03-05');
    // 33 days overdue calls for level 3, but a close raises one level: the call, not yet the letter.
    const afterLate = await steps();
    expect(afterLate).toHaveLength(DUE);
    for (const row of afterLate) expect(row.steps).toEqual(['reminder_email@2026-02-10', 'collector_call@2026-03-05']);
    // Every account still below its level is due again the next business day.
    await closeAndWait('2026-03-06');
    for (const row of await steps()) expect(row.steps).toEqual(['reminder_email@2026-02-10', 'collector_call@2026-03-05', 'formal_demand_letter@2026-03-06']);
  }, 180_000);
});
