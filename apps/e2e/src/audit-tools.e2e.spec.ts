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
 * The audit tools against a real receivables process on PostgreSQL and Kafka: a scenario
 * (customers from customers' topic, invoices, a payment, a day close), then the CLI as a child
 * process, as CI runs it after the e2e scenario — `rebuild --compare` for every read model,
 * a tampered live row caught, `verify` and the chain anchors, tampered events named.
 */
describe('audit tools (receivables as a process, real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let service: RunningService;
  let transport: KafkajsTransport;
  const prefix = testTopicPrefix('audit');
  const [alpha, beta] = [randomUUID(), randomUUID()];
  const env = () => ({ DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '3', AUTH_DEV_SECRET: TEST_AUTH_SECRET });
  const invoiceIds: string[] = [];

  function registered(customerId: string): RecordedEvent {
    return { id: randomUUID(), type: 'CustomerRegistered', schemaVersion: 1, data: { customerId, kind: 'company', legalName: `Co ${customerId.slice(0, 4)}`, tags: [] },
      occurredAt: '2026-01-01T00:00:00.000Z', streamId: `customer-${customerId}`, streamVersion: 1, partitionKey: customerId, globalPosition: '0', transactionId: '0', hash: '',
      metadata: { actor: { id: 'upstream', roles: ['admin'] }, correlationId: 'c', causationId: 'c' } };
  }

  function audit(...args: string[]): Promise<{ code: number | null; output: string; stdout: string }> {
    const child = spawn(process.execPath, [path.join(root, 'scripts/audit.cjs'), ...args, '--service', 'receivables'],
      { env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'warn', ...env() }, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (d) => { output += d; stdout += d; });
    child.stderr.on('data', (d) => (output += d));
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output, stdout })));
  }

  const call = (method: string, url: string, body?: unknown, role = 'credit_manager') => callApi(service.url, method, url, { body, role });

  beforeAll(async () => {
    db = await freshDatabase();
    transport = new KafkajsTransport({ brokers: kafkaBrokers(), clientId: 'audit-e2e', quiet: true });
    const customers = eventsTopic('customers', prefix);
    await transport.ensureTopics([{ topic: customers, partitions: 3 }]);
    await transport.publish(customers, [alpha, beta].map((id) => toKafkaMessage(registered(id), 'crm.customers')));
    service = await startService('receivables', { ...env(), AUDIT_ANCHOR_INTERVAL_SECONDS: '1' });
    await pollUntil(async () => (await db.pool.query('SELECT count(*)::int AS n FROM known_customers')).rows[0].n === 2, { what: 'customers known' });
    for (const [customerId, total, issueDate] of [[alpha, 100_000, '2026-01-01'], [alpha, 40_000, '2026-01-05'], [beta, 70_000, '2026-01-02']] as const) {
      const issued = await call('POST', '/v1/invoices', { customerId, currency: 'CNY', issueDate, lines: [{ description: 'Longjing tea', quantity: 1, unitPrice: total }], terms: { type: 'net', days: 30 } }, 'sales');
      expect(issued.status).toBe(201);
      invoiceIds.push(issued.body.id);
    }
    const paid = await call('POST', '/v1/payments', { customerId: alpha, currency: 'CNY', amount: 100_000, receivedOn: '2026-01-20', method: 'bank_transfer', reference: 'T-1' }, 'collector');
    expect(paid.status).toBe(201);
    // Three closed days: dunning climbs one level a close, to level 3 on both overdue invoices.
    for (const businessDate of ['2026-03-20', '2026-03-21', '2026-03-22']) {
      // 200 once the run is done, 202 while it runs (a loaded machine): each close is awaited before the next.
      expect([200, 202]).toContain((await call('POST', '/v1/operations/close-day', { businessDate })).status);
      await pollUntil(async () => (await call('GET', `/v1/operations/close-day/${businessDate}`)).body?.status === 'completed' || undefined,
        { what: `the close of ${businessDate}`, timeoutMs: 60_000 });
    }
    // Every read model has caught up with the scenario's events.
    await pollUntil(async () => {
      const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM receivable_invoices WHERE jsonb_array_length(doc->'dunning') = 3`);
      return rows[0].n === 2;
    }, { what: 'dunning levels in the read model' });
  }, 180_000);

  afterAll(async () => {
    await service?.stop();
    await transport?.close();
    await db?.drop();
  });

  it('rebuilds every read model from offset zero equal to the live rows (what CI runs after the scenario)', async () => {
    const result = await audit('rebuild', '--projection', 'all', '--compare');
    expect({ code: result.code, output: result.output }).toEqual({ code: 0, output: expect.stringContaining('receivable-invoices: rebuilt rows equal the live ones (3 rows)') });
    expect(result.stdout).toMatch(/known-customers: rebuilt rows equal the live ones \(2 rows\)/);
    expect(result.stdout).toMatch(/credit-positions: rebuilt rows equal the live ones/);
    // The overdue list's SQL companion tables are compared too, row for row.
    expect(result.stdout).toMatch(/receivable-invoices \(companion open\): rebuilt rows equal the live ones \(2 rows\)/);
    expect(result.stdout).toMatch(/receivable-invoices \(companion versions\): rebuilt rows equal the live ones \(\d+ rows\)/);
    expect(result.stdout).toMatch(/receivable-invoices \(companion totals\): rebuilt rows equal the live ones/);
    // Nothing of the replay is left behind: no scratch tables, checkpoints or groups' rows.
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename LIKE '%__audit_%'`);
    expect(rows[0].n).toBe(0);
  }, 120_000);

  it('exits 1 naming the row when a live read-model row was altered, and a rebuild repairs it', async () => {
    const altered = invoiceIds[2];
    await db.pool.query(`UPDATE receivable_invoices SET doc = jsonb_set(doc, '{dunning}', '[]') WHERE id = $1`, [altered]);
    const compared = await audit('rebuild', '--projection', 'receivable-invoices', '--compare');
    expect(compared.code).toBe(1);
    expect(compared.stdout).toContain('receivable-invoices: 1 row(s) differ');
    expect(compared.stdout).toContain(`${altered}: fields dunning`);
    const levels = async () => Number((await db.pool.query(`SELECT jsonb_array_length(doc->'dunning') AS n FROM receivable_invoices WHERE id = $1`, [altered])).rows[0].n);
    expect(await levels()).toBe(0);

    const rebuilt = await audit('rebuild', '--projection', 'receivable-invoices');
    expect([rebuilt.code, rebuilt.stdout]).toEqual([0, expect.stringMatching(/receivable-invoices: rebuilt from offset zero \(\d+ events\) and swapped in/)]);
    expect(rebuilt.output).toMatch(/rebuild receivable-invoices: [\d.]+ % \(\d+\/\d+\), \d+ events\/s, ETA/);
    expect(await levels()).toBeGreaterThan(0);
    expect((await audit('rebuild', '--projection', 'receivable-invoices', '--compare')).code).toBe(0);
  }, 120_000);

  it('exits 1 naming the companion row when a row of the overdue list\'s SQL tables was altered', async () => {
    const planted = invoiceIds[2];
    const open = () => db.pool.query(`SELECT dunning_level FROM receivable_invoices_open WHERE invoice_id = $1`, [planted]);
    const { rows: [before] } = await open();
    await db.pool.query(`UPDATE receivable_invoices_open SET dunning_level = 9 WHERE invoice_id = $1`, [planted]);
    const compared = await audit('rebuild', '--projection', 'receivable-invoices', '--compare');
    expect([compared.code, compared.stdout]).toEqual([1, expect.stringContaining('receivable-invoices: rebuilt rows equal the live ones')]);
    expect(compared.stdout).toContain('receivable-invoices (companion open): 2 row(s) differ (live 2 rows, rebuilt 2)');
    expect(compared.stdout).toMatch(new RegExp(`only in the live rows: \\{[^\\n]*"invoice_id": ?"${planted}"[^\\n]*"dunning_level": ?9`));
    expect(compared.stdout).toMatch(new RegExp(`only in the rebuilt rows: \\{[^\\n]*"invoice_id": ?"${planted}"[^\\n]*"dunning_level": ?${before.dunning_level}[,}]`));
    // Only read: the planted row is still there, and the other companions are equal.
    expect((await open()).rows[0].dunning_level).toBe(9);
    expect(compared.stdout).toMatch(/receivable-invoices \(companion versions\): rebuilt rows equal the live ones/);
    await db.pool.query(`UPDATE receivable_invoices_open SET dunning_level = $2 WHERE invoice_id = $1`, [planted, before.dunning_level]);
  }, 120_000);

  it('answers GET /v1/audit/verify for auditors, naming bad parameters', async () => {
    const verified = await call('GET', `/v1/audit/verify?customerId=${alpha}`, undefined, 'auditor');
    expect(verified).toMatchObject({ status: 200, body: { customerId: alpha, valid: true, streams: 1, finding: null, findings: [] } });
    expect(verified.body.events).toBeGreaterThanOrEqual(4);
    expect((await call('GET', `/v1/audit/verify?streamId=account-${beta}`, undefined, 'admin')).body).toMatchObject({ valid: true, streams: 1 });
    expect((await call('GET', `/v1/audit/verify?customerId=${alpha}`, undefined, 'sales')).status).toBe(403);
    const neither = await call('GET', '/v1/audit/verify', undefined, 'auditor');
    expect([neither.status, neither.type, neither.body.errors.map((e: any) => e.field)]).toEqual([400, expect.stringMatching(/problem\+json/), ['customerId']]);
    const bad = await call('GET', '/v1/audit/verify?customerId=nope', undefined, 'auditor');
    expect([bad.status, bad.body.errors.map((e: any) => e.field)]).toEqual([400, ['customerId']]);
  });

  describe('what-if of the dunning ladder', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'what-if-'));
    const policy = (name: string, ladder: unknown) => {
      const file = path.join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify({ dunningLadder: ladder }));
      return file;
    };
    const live = [{ level: 1, fromDays: 1, action: 'reminder_email' }, { level: 2, fromDays: 15, action: 'collector_call' },
      { level: 3, fromDays: 30, action: 'formal_demand_letter' }, { level: 4, fromDays: 60, action: 'final_notice' }, { level: 5, fromDays: 90, action: 'legal_referral' }];
    const liveDunning = async () => (await db.pool.query(`SELECT id, doc->'dunning' AS dunning FROM receivable_invoices ORDER BY id`)).rows;

    it('under the live ladder, replays to exactly the live read model', async () => {
      const result = await audit('what-if', '--projection', 'receivable-invoices', '--policy', policy('live', live));
      // The output is in the expectation so a failed run says why (stderr included).
      expect([result.code, result.code === 0 ? result.stdout : result.output]).toEqual([0, expect.stringContaining('0 of 3 documents would differ from live')]);
      expect(result.stdout).toMatch(/replayed \d+ events of 2 streams into whatif_[0-9a-f]{12}/);
    }, 60_000);

    it('under a slower ladder, counts the steps and levels that would not have been recorded, touching nothing live', async () => {
      const before = await liveDunning();
      const result = await audit('what-if', '--projection', 'receivable-invoices', '--policy', policy('slower', [{ level: 1, fromDays: 60, action: 'reminder_email' }]));
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('2 of 3 documents would differ from live');
      expect(result.stdout).toContain('6 dunning steps that would not have been recorded, 0 that would have been recorded in addition');
      expect(result.stdout).toContain('2 invoices would have ended at a lower dunning level, 0 at a higher one');
      expect(result.stdout).toContain('level 1: 2 → 0, level 2: 2 → 0, level 3: 2 → 0');
      expect(await liveDunning()).toEqual(before);
      const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'whatif_%'`);
      expect(rows[0].n).toBe(0);
    }, 60_000);

    it('refuses a policy file that is not a ladder, naming the field (exit 2)', async () => {
      const result = await audit('what-if', '--projection', 'receivable-invoices', '--policy', policy('bad', [{ level: 1, fromDays: 20, action: 'reminder_email' }, { level: 2, fromDays: 10, action: 'call' }]));
      expect([result.code, result.output]).toEqual([2, expect.stringContaining('dunningLadder[1].fromDays: must be later than the step before')]);
    }, 60_000);
  });

  it('anchors the chain heads on its own topic, and verify checks the whole store against the anchor', async () => {
    const anchor = await pollUntil(async () => {
      const { rows } = await db.pool.query(`SELECT data, global_position FROM events WHERE event_type = 'ChainHeadsAnchored' ORDER BY global_position DESC LIMIT 1`);
      return rows[0];
    }, { what: 'a chain anchor' });
    expect(anchor.data).toMatchObject({ root: expect.stringMatching(/^[0-9a-f]{64}$/), algorithm: 'sha256-rfc6962', streams: expect.any(Number) });
    expect(anchor.data.streams).toBeGreaterThanOrEqual(3);
    // The relay publishes it on receivables' own topic like every other event.
    await pollUntil(async () => (await db.pool.query(
      `SELECT max(global_position) AS p FROM relay_checkpoints`)).rows[0].p >= Number(anchor.global_position), { what: 'the anchor published' });
    const verified = await audit('verify');
    expect([verified.code, verified.stdout]).toEqual([0, expect.stringMatching(/events in \d+ streams verified .*events\/s[\s\S]*anchor: #\d+ .* matches[\s\S]*OK: every hash chain is intact/)]);
    expect(verified.stdout).toMatch(new RegExp(`kafka: [1-9]\\d* anchor message\\(s\\) on ${prefix}crm\\.receivables\\.events \\(from anchor #\\d+\\): every one matches the store`));
  }, 60_000);

  it('cross-checks the stored anchors against their copies on Kafka: an anchor row altered or removed in PostgreSQL is named', async () => {
    const topic = eventsTopic('receivables', prefix);
    const { rows: [latest] } = await db.pool.query(
      `SELECT stream_version, data FROM events WHERE stream_id = 'chain-anchors' ORDER BY stream_version DESC LIMIT 1`);
    // A rewrite of the anchor's root, as a whole-table rewrite would need to make (the service is running).
    await db.pool.query(`UPDATE events SET data = jsonb_set(data, '{root}', to_jsonb(repeat('0', 64))) WHERE stream_id = 'chain-anchors' AND stream_version = $1`, [latest.stream_version]);
    const altered = new RegExp(`ALTERED chain-anchors version ${latest.stream_version} .*: the stored anchor #${latest.stream_version} differs from its copy on ${topic.replaceAll('.', '\\.')} in root`);
    const cli = await audit('verify');
    expect([cli.code, cli.stdout]).toEqual([1, expect.stringMatching(altered)]);
    const http = await call('GET', '/v1/audit/verify?streamId=chain-anchors', undefined, 'auditor');
    expect(http.body).toMatchObject({ valid: false, anchorsOnKafka: { topic, checkedFrom: latest.stream_version },
      findings: expect.arrayContaining([expect.objectContaining({ kind: 'altered', streamId: 'chain-anchors', streamVersion: latest.stream_version,
        detail: expect.stringContaining('differs from its copy') })]) });
    await db.pool.query(`UPDATE events SET data = $2 WHERE stream_id = 'chain-anchors' AND stream_version = $1`, [latest.stream_version, latest.data]);
    expect((await call('GET', '/v1/audit/verify?streamId=chain-anchors', undefined, 'auditor')).body).toMatchObject({ valid: true, findings: [] });

    // The newest anchor deleted: its own chain cannot tell (it was the stream's end), its copy on the topic can.
    await service.stop();
    await db.pool.query(`DELETE FROM events WHERE stream_id = 'chain-anchors' AND stream_version = $1`, [latest.stream_version]);
    const removed = await audit('verify');
    expect([removed.code, removed.stdout]).toEqual([1, expect.stringMatching(
      new RegExp(`REMOVED chain-anchors version ${latest.stream_version} .*: anchor #${latest.stream_version} \\(event [0-9a-f-]{36}\\) is on ${topic.replaceAll('.', '\\.')} but not in the store`))]);
  }, 120_000);

  it('names altered and removed events stored directly in PostgreSQL, and exits 1', async () => {
    await db.pool.query(`UPDATE events SET data = jsonb_set(data, '{total}', '1') WHERE event_type = 'InvoiceIssued' AND data->>'invoiceId' = $1`, [invoiceIds[2]]);
    const { rows: [removed] } = await db.pool.query(
      `DELETE FROM events WHERE stream_id = $1 AND event_type = 'InvoiceIssued' AND data->>'invoiceId' = $2 RETURNING stream_version`, [`account-${alpha}`, invoiceIds[1]]);
    const verified = await audit('verify');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(new RegExp(`REMOVED account-${alpha} version ${removed.stream_version}`));
    expect(verified.stdout).toMatch(new RegExp(`ALTERED account-${beta} version 1 .*no longer matches its hash`));
  }, 60_000);
});
