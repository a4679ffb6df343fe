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
 * `audit what-if` of credit's hold rules, after real events: receivables' day closes raise two
 * customers' dunning to level 3 (credit holds both), one pays (credit releases it), a third's
 * later invoice reaches level 2 only (credit records nothing for it); then the CLI as a child
 * process re-simulates every customer's holds from receivables' topic under other rules.
 */
describe('audit what-if of the credit hold rules (receivables and credit as processes, real PostgreSQL + Kafka)', () => {
  const dbs: Record<string, TestDatabase> = {};
  const services: Record<string, RunningService> = {};
  const prefix = testTopicPrefix('whatif');
  const transport = new KafkajsTransport({ clientId: 'e2e-credit-what-if', brokers: kafkaBrokers(), quiet: true });
  const [payer, debtor, late] = [randomUUID(), randomUUID(), randomUUID()];
  const dir = mkdtempSync(path.join(tmpdir(), 'credit-what-if-'));
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
    const child = spawn(process.execPath, [path.join(root, 'scripts/audit.cjs'), ...args, '--service', 'credit'],
      { env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'warn', ...env('credit') }, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (d) => { output += d; stdout += d; });
    child.stderr.on('data', (d) => (output += d));
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output, stdout })));
  }
  const whatIf = (name: string, body: unknown) => {
    const file = path.join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(body));
    return audit('what-if', '--projection', 'credit-decisions', '--policy', file);
  };
  const call = (service: string, method: string, url: string, role: string, body?: unknown) => callApi(services[service].url, method, url, { body, role });
  const decisions = async () => (await dbs.credit.pool.query('SELECT id, doc FROM credit_decisions ORDER BY id')).rows;
  const live = async () => (await dbs.credit.pool.query(`SELECT (SELECT count(*) FROM events)::int AS events,
    (SELECT json_agg(doc ORDER BY id) FROM credit_positions) AS positions`)).rows[0];

  beforeAll(async () => {
    const customers = eventsTopic('customers', prefix);
    await transport.ensureTopics([{ topic: customers, partitions: 2 }]);
    await transport.publish(customers, [payer, debtor, late].map((id) => toKafkaMessage(registered(id), 'crm.customers')));
    await Promise.all((['receivables', 'credit'] as const).map(async (name) => {
      dbs[name] = await freshDatabase();
      services[name] = await startService(name, env(name));
    }));
    await pollUntil(async () => {
      const [r, c] = await Promise.all([dbs.receivables.pool.query('SELECT count(*)::int AS n FROM known_customers'),
        dbs.credit.pool.query('SELECT count(*)::int AS n FROM known_customers')]);
      return (r.rows[0].n === 3 && c.rows[0].n === 3) || undefined;
    }, { what: 'both services know the customers' });
    for (const [customerId, issueDate] of [[payer, '2026-01-01'], [debtor, '2026-01-01'], [late, '2026-01-16']]) {
      const issued = await call('receivables', 'POST', '/v1/invoices', 'sales', {
        customerId, currency: 'CNY', issueDate, lines: [{ description: 'Longjing tea', quantity: 1, unitPrice: 100_000 }], terms: { type: 'net', days: 30 } });
      expect(issued.status).toBe(201);
    }
    // Three closes: dunning climbs one level a close, to level 3 (the default hold rule) on the first two invoices; the
    // late one (15 days overdue at the first close) reaches level 2 (from 15 days) and stays there (level 3 is from 30).
    for (const businessDate of ['2026-03-02', '2026-03-03', '2026-03-04']) {
      expect([200, 202]).toContain((await call('receivables', 'POST', '/v1/operations/close-day', 'credit_manager', { businessDate })).status);
      await pollUntil(async () => (await call('receivables', 'GET', `/v1/operations/close-day/${businessDate}`, 'credit_manager')).body?.status === 'completed' || undefined,
        { what: `the close of ${businessDate}`, timeoutMs: 60_000 });
    }
    await pollUntil(async () => (await decisions()).length === 2 || undefined, { what: 'both holds placed', timeoutMs: 60_000 });
    const paid = await call('receivables', 'POST', '/v1/payments', 'collector', {
      customerId: payer, amount: 100_000, currency: 'CNY', receivedOn: '2026-03-05', method: 'bank_transfer', reference: 'T-1' });
    expect(paid.status).toBe(201);
    await pollUntil(async () => {
      const rows = (await decisions()).map((r) => `${r.doc.customerId === payer ? 'payer' : 'debtor'} ${r.doc.decision}`).sort();
      return JSON.stringify(rows) === JSON.stringify(['debtor hold-placed', 'payer hold-placed', 'payer hold-released']) || undefined;
    }, { what: 'the payer released', timeoutMs: 60_000 });
  }, 240_000);

  afterAll(async () => {
    await Promise.all(Object.values(services).map((s) => s.stop()));
    await transport.close();
    await Promise.all(Object.values(dbs).map((d) => d.drop()));
  });

  it('under the live hold rules (an empty change, or the same rules spelled out), re-simulates exactly the live decisions', async () => {
    const result = await whatIf('live', { holdRules: {} });
    expect([result.code, result.code === 0 ? result.stdout : result.output]).toEqual([0, expect.stringContaining('0 of 3 documents would differ from live')]);
    expect(result.stdout).toMatch(/read \d+ upstream events of \S+receivables\S* from offset zero/);
    expect(result.stdout).toMatch(/replayed \d+ events of \d+ streams into whatif_[0-9a-f]{12}/);
    const same = await whatIf('same', { holdRules: { exposureOverLimit: true, maxDaysOverdue: 60, dunningLevel: 3 } });
    expect([same.code, same.code === 0 ? same.stdout : same.output]).toEqual([0, expect.stringContaining('0 of 3 documents would differ from live')]);
  }, 60_000);

  it('a hold from dunning level 2: holds at the level-2 events live decided nothing at, the late customer held too (live recorded nothing for it)', async () => {
    expect((await decisions()).some((r) => r.doc.customerId === late)).toBe(false);
    const result = await whatIf('level-2', { holdRules: { dunningLevel: 2 } });
    // Live: payer and debtor held at level 3, payer released. What-if: all three held at level 2 (new decisions), the payer released (differently).
    expect([result.code, result.code === 0 ? result.stdout : result.output]).toEqual([0, expect.stringContaining('6 of 6 documents would differ from live')]);
    expect(result.stdout).toContain('2 holds that would not have been placed, 3 in addition, 1 releases that differ');
  }, 60_000);

  it('a hold from dunning level 4 only: neither hold placed, the release differs, nothing live touched', async () => {
    const [before, decided] = [await live(), await decisions()];
    const result = await whatIf('level-4', { holdRules: { dunningLevel: 4 } });
    expect([result.code, result.code === 0 ? result.stdout : result.output]).toEqual([0, expect.stringContaining('3 of 3 documents would differ from live')]);
    expect(result.stdout).toContain('2 holds that would not have been placed, 0 in addition, 1 releases that differ');
    expect([await live(), await decisions()]).toEqual([before, decided]);
    const { rows } = await dbs.credit.pool.query(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'whatif_%'`);
    expect(rows[0].n).toBe(0);
  }, 60_000);

  it('refuses a file the PUT of the credit policy would refuse, or one with more than hold rules, naming the field (exit 2)', async () => {
    const range = await whatIf('range', { holdRules: { dunningLevel: 9 } });
    expect([range.code, range.output]).toEqual([2, expect.stringContaining('holdRules.dunningLevel: dunningLevel must not be greater than 5')]);
    const other = await whatIf('other', { holdRules: { dunningLevel: 2 }, gradeCutoffs: { A: 90 } });
    expect([other.code, other.output]).toEqual([2, expect.stringContaining('gradeCutoffs: only holdRules are replayed by this what-if')]);
  }, 60_000);
});
