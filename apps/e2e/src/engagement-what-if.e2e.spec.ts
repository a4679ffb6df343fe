import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventsTopic } from '@crm/contracts';
import { KafkajsTransport, RecordedEvent, toKafkaMessage } from '@crm/eventing';
import {
  callApi, freshDatabase, kafkaBrokers, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, testTopicPrefix,
} from '@crm/testing';

const root = path.resolve(__dirname, '../../..');

/**
 * `audit what-if` of engagement's loyalty rules, after real events: invoices and payments through
 * receivables' API drive engagement's points and tiers, then the CLI as a child process replays
 * the loyalty streams under other thresholds and counts what would differ — live untouched.
 */
describe('audit what-if of the loyalty thresholds (receivables and engagement as processes, real PostgreSQL + Kafka)', () => {
  const dbs: Record<string, TestDatabase> = {};
  const services: Record<string, RunningService> = {};
  const prefix = testTopicPrefix('whatif');
  const transport = new KafkajsTransport({ clientId: 'e2e-loyalty-what-if', brokers: kafkaBrokers(), quiet: true });
  const [silver, gold, member, registeredOnly] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const dir = mkdtempSync(path.join(tmpdir(), 'loyalty-what-if-'));
  const env = (name: string) => ({
    KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '2', AUTH_DEV_SECRET: TEST_AUTH_SECRET, DATABASE_URL: dbs[name].url,
  });

  const registered = (customerId: string): RecordedEvent => ({
    id: randomUUID(), type: 'CustomerRegistered', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00.000Z', streamId: `customer-${customerId}`,
    streamVersion: 1, partitionKey: customerId, globalPosition: '0', transactionId: '0', hash: '',
    metadata: { actor: { id: 'upstream', roles: ['admin'] }, correlationId: 'c', causationId: 'c' },
    data: { customerId, kind: 'company', legalName: `Co ${customerId.slice(0, 4)}`, tags: [] },
  } as RecordedEvent);

  function audit(...args: string[]): Promise<{ code: number | null; output: string; stdout: string }> {
    const child = spawn(process.execPath, [path.join(root, 'scripts/audit.cjs'), ...args, '--service', 'engagement'],
      { env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'warn', ...env('engagement') }, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (d) => { output += d; stdout += d; });
    child.stderr.on('data', (d) => (output += d));
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output, stdout })));
  }
  const whatIf = (name: string, body: unknown) => {
    const file = path.join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(body));
    return audit('what-if', '--projection', 'loyalty-members', '--policy', file);
  };
  const call = (service: string, method: string, url: string, role: string, body?: unknown) => callApi(services[service].url, method, url, { body, role });
  const members = async () => (await dbs.engagement.pool.query('SELECT id, doc FROM loyalty_members ORDER BY id')).rows;

  beforeAll(async () => {
    const customers = eventsTopic('customers', prefix);
    await transport.ensureTopics([{ topic: customers, partitions: 2 }]);
    await transport.publish(customers, [silver, gold, member, registeredOnly].map((id) => toKafkaMessage(registered(id), 'crm.customers')));
    await Promise.all((['receivables', 'engagement'] as const).map(async (name) => {
      dbs[name] = await freshDatabase();
      services[name] = await startService(name, env(name));
    }));
    await pollUntil(async () => {
      const [r, e] = await Promise.all([dbs.receivables.pool.query('SELECT count(*)::int AS n FROM known_customers'),
        dbs.engagement.pool.query('SELECT count(*)::int AS n FROM loyalty_members')]);
      return (r.rows[0].n === 4 && e.rows[0].n === 4) || undefined;
    }, { what: 'both services know the customers' });
    // On time (due 2026-01-31): 100,000, 300,000 and 1,000 CNY paid in the trailing 12 months.
    for (const [customerId, units] of [[silver, 100_000], [gold, 300_000], [member, 1_000]] as const) {
      const issued = await call('receivables', 'POST', '/v1/invoices', 'sales', {
        customerId, currency: 'CNY', issueDate: '2026-01-01', lines: [{ description: 'Longjing tea', quantity: 1, unitPrice: units * 100 }], terms: { type: 'net', days: 30 } });
      expect(issued.status).toBe(201);
      const paid = await call('receivables', 'POST', '/v1/payments', 'collector', {
        customerId, amount: units * 100, currency: 'CNY', receivedOn: '2026-01-10', method: 'bank_transfer', reference: `R-${units}` });
      expect(paid.status).toBe(201);
    }
    await pollUntil(async () => {
      const tiers = (await members()).map((r) => [r.id, r.doc.tier, r.doc.points]);
      const expected = [[silver, 'Silver', 100_000], [gold, 'Gold', 300_000], [member, 'Member', 1_000], [registeredOnly, 'Member', 0]];
      return JSON.stringify(tiers) === JSON.stringify(expected.sort(([a], [b]) => String(a).localeCompare(String(b)))) || undefined;
    }, { what: 'the live tiers', timeoutMs: 60_000 });
  }, 180_000);

  afterAll(async () => {
    await Promise.all(Object.values(services).map((s) => s.stop()));
    await transport.close();
    await Promise.all(Object.values(dbs).map((d) => d.drop()));
  });

  it('under the live rules (an empty change), replays to exactly the live tier lists, the registered-only member kept', async () => {
    const result = await whatIf('live', {});
    expect([result.code, result.code === 0 ? result.stdout : result.output]).toEqual([0, expect.stringContaining('0 of 4 documents would differ from live')]);
    expect(result.stdout).toMatch(/replayed \d+ events of 3 streams into whatif_[0-9a-f]{12}/);
    expect(result.stdout).toContain('0 tier changes that would not have happened, 0 in addition, 0 on another date');
  }, 60_000);

  it('under other thresholds, counts the tier changes and final tiers that would differ, touching nothing live', async () => {
    const before = await members();
    const liveEvents = (await dbs.engagement.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n;
    // Silver from 900 (the 1,000 CNY member rises), Gold from 350,000 (the 300,000 CNY one ends Silver).
    const result = await whatIf('other', { thresholds: { Silver: 900, Gold: 350_000 } });
    expect([result.code, result.code === 0 ? result.stdout : result.output]).toEqual([0, expect.stringContaining('2 of 4 documents would differ from live')]);
    expect(result.stdout).toContain('1 tier changes that would not have happened, 2 in addition, 0 on another date');
    expect(result.stdout).toContain('1 members would end in a lower tier, 1 in a higher one, 0 in the same tier with other points');
    expect(await members()).toEqual(before);
    expect((await dbs.engagement.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(liveEvents);
    const { rows } = await dbs.engagement.pool.query(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'whatif_%'`);
    expect(rows[0].n).toBe(0);
  }, 60_000);

  it('refuses a file the PUT of the loyalty policy would refuse, naming the field (exit 2)', async () => {
    const range = await whatIf('range', { thresholds: { Silver: 0 } });
    expect([range.code, range.output]).toEqual([2, expect.stringContaining('thresholds.Silver: Silver must not be less than 1')]);
    const unknown = await whatIf('unknown', { threshold: { Silver: 10 } });
    expect([unknown.code, unknown.output]).toEqual([2, expect.stringContaining('threshold: property threshold should not exist')]);
    const falling = await whatIf('falling', { thresholds: { Gold: 10 } });
    expect([falling.code, falling.output]).toEqual([2, expect.stringContaining('thresholds: thresholds must rise from Silver to Platinum')]);
  }, 60_000);
});
