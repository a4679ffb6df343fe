import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import {
  callApi, freshDatabase, kafkaBrokers, pollUntil, runScript, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, testTopicPrefix,
} from '@crm/testing';
import { unpublished } from './service-readiness';

const SERVICES = ['customers', 'credit', 'receivables', 'engagement'] as const;
type Service = typeof SERVICES[number];
const CUSTOMERS = 12;
const TIERS = ['Member', 'Silver', 'Gold', 'Platinum'];
const DAYS = 80;

/** The committed JSON schema of each event version (libs/contracts/schemas). */
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
const schemaOf = (type: string, version: number) => {
  const file = path.resolve(__dirname, `../../libs/contracts/schemas/${type}.v${version}.json`);
  if (!compiled.has(file)) compiled.set(file, ajv.compile(JSON.parse(fs.readFileSync(file, 'utf8'))));
  return compiled.get(file)!;
};

/** The shape of a value: keys and value types, not the values themselves (ids, numbers and times differ between twins). */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, shape((value as any)[k])]));
  return typeof value;
}

/**
 * The generator at a tiny size against the four services as processes on the real PostgreSQL
 * and Kafka: the events it writes are published by the services' relays, every read model
 * (directory, overdue list, loyalty tiers) reflects them, each event fits its committed
 * schema, and the same command sent through the API records an event of the same shape.
 */
describe('the data generator (npm run load) against the running services', () => {
  const dbs = {} as Record<Service, TestDatabase>;
  const services = {} as Record<Service, RunningService>;
  const prefix = testTopicPrefix('e2e-gen');
  let summary: any;
  let output = '';

  beforeAll(async () => {
    await Promise.all(SERVICES.map(async (name) => {
      dbs[name] = await freshDatabase();
      services[name] = await startService(name, {
        KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '2',
        AUTH_DEV_SECRET: TEST_AUTH_SECRET, DATABASE_URL: dbs[name].url, SLA_WATCH_SECONDS: '0',
      }, 240_000);
    }));
    const env = Object.fromEntries(SERVICES.map((s) => [`${s.toUpperCase()}_DATABASE_URL`, dbs[s].url]));
    const run = runScript(path.resolve(__dirname, 'main.ts'), { ...env, KAFKA_BROKERS: kafkaBrokers().join(',') },
      ['--customers', String(CUSTOMERS), '--days', String(DAYS), '--start', '2026-03-02', '--seed', 'e2e-5', '--existing-share', '0.75', '--concurrency', '4']);
    const { code } = await run.exit;
    output = run.output();
    if (code !== 0) throw new Error(`the generator exited with ${code}:\n${output}`);
    summary = JSON.parse(output.split('\n').find((l) => l.startsWith('{"customers"'))!);
  }, 600_000);

  afterAll(async () => {
    await Promise.all(Object.values(services).map((s) => s.stop()));
    await Promise.all(Object.values(dbs).map((d) => d.drop()));
  });

  const events = async (service: Service, type?: string) => (await dbs[service].pool.query(
    `SELECT event_type, schema_version, data, metadata, occurred_at FROM events ${type ? 'WHERE event_type = $1' : ''} ORDER BY global_position`,
    type ? [type] : [])).rows;

  it('reports its figures with a progress line, and every relay has published what it wrote', async () => {
    expect(output).toMatch(/\] +100% done +[\d,]+ commands [\d,]+ events +[\d,]+ events\/s +ETA 0s/);
    expect(summary.customers).toBe(CUSTOMERS);
    expect(summary.events).toBeGreaterThan(200);
    for (const s of SERVICES) expect({ service: s, unpublished: await unpublished(dbs[s].pool) }).toEqual({ service: s, unpublished: 0 });
  });

  it('writes commands of every kind, dated on simulated business days, each event matching its committed schema', async () => {
    const receivables = await events('receivables');
    const types = new Set(receivables.map((e) => e.event_type));
    for (const type of ['InvoiceIssued', 'PaymentReceived', 'InvoiceBecameOverdue', 'BusinessDayClosed']) expect(types).toContain(type);
    const engagementTypes = new Set((await events('engagement')).map((e) => e.event_type));
    for (const type of ['ComplaintRaised', 'SurveyResponseRecorded', 'EngagementBusinessDayClosed']) expect(engagementTypes).toContain(type);
    for (const s of SERVICES) {
      for (const e of await events(s)) {
        const validate = schemaOf(e.event_type, e.schema_version);
        expect({ type: e.event_type, valid: validate(e.data), errors: validate.errors }).toEqual({ type: e.event_type, valid: true, errors: null });
      }
    }
    const issued = await events('receivables', 'InvoiceIssued');
    for (const e of issued) {
      const at = new Date(e.occurred_at);
      expect(at.toISOString().slice(0, 10)).toBe(e.data.issueDate);
      expect([0, 6]).not.toContain(at.getUTCDay());
    }
    const closes = await events('receivables', 'BusinessDayClosed');
    expect(closes.length).toBe(Array.from({ length: DAYS }, (_, i) => new Date(Date.parse('2026-03-02') + i * 86_400_000).getUTCDay()).filter((d) => d !== 0 && d !== 6).length);
  });

  it('every read model reflects it: both directories, the overdue list and the loyalty tiers', async () => {
    const registered = (await events('customers', 'CustomerRegistered')).map((e) => e.data.customerId).sort();
    expect(registered).toHaveLength(CUSTOMERS);
    const directory = await callApi(services.customers.url, 'GET', '/v1/customers?limit=200', { role: 'sales' });
    expect(directory.body.items.map((c: any) => c.customerId ?? c.id).sort()).toEqual(registered);
    const engagementDirectory = await callApi(services.engagement.url, 'GET', '/v1/customers?limit=200', { role: 'sales' });
    expect(engagementDirectory.body.items.map((c: any) => c.customerId ?? c.id).sort()).toEqual(registered);

    const open = (await dbs.receivables.pool.query(`SELECT DISTINCT data->>'invoiceId' AS id FROM events WHERE event_type = 'InvoiceBecameOverdue'`)).rows.map((r) => r.id);
    expect(open.length).toBeGreaterThan(0);
    const overdue = await callApi(services.receivables.url, 'GET', '/v1/overdue?limit=200', { role: 'collector' });
    expect(overdue.status).toBe(200);
    expect(overdue.body.items.length).toBeGreaterThan(0);
    for (const item of overdue.body.items) expect(open).toContain(item.invoiceId);

    // The tier each customer must have: the trailing-12-month paid amount against the built-in
    // thresholds (Silver 50,000, Gold 200,000, Platinum 1,000,000 whole CNY); the run is shorter than 12 months.
    const paid = new Map<string, number>(registered.map((id) => [id, 0]));
    for (const e of await events('receivables', 'PaymentReceived')) paid.set(e.data.customerId, paid.get(e.data.customerId)! + e.data.amount);
    const tierFor = (fen: number) => (fen >= 100_000_000 ? 'Platinum' : fen >= 20_000_000 ? 'Gold' : fen >= 5_000_000 ? 'Silver' : 'Member');
    const expected = Object.fromEntries([...paid].map(([id, fen]) => [id, tierFor(fen)]));
    expect(Object.values(expected).some((t) => t !== 'Member')).toBe(true);
    let seen: Record<string, string> = {};
    await pollUntil(async () => {
      const lists = await Promise.all(TIERS.map((t) => callApi(services.engagement.url, 'GET', `/v1/loyalty/tiers/${t}?limit=500`, { role: 'sales' })));
      seen = Object.fromEntries(lists.flatMap((l, i) => (l.body.items ?? []).map((m: any) => [m.customerId, TIERS[i]])));
      return JSON.stringify(seen, Object.keys(expected).sort()) === JSON.stringify(expected, Object.keys(expected).sort()) || undefined;
    }, { what: 'the loyalty tiers the payments earn', timeoutMs: 60_000 }).catch(() => undefined);
    expect(seen).toEqual(expected);
    const [payer] = [...paid].sort((x, y) => y[1] - x[1])[0];
    const account = await callApi(services.engagement.url, 'GET', `/v1/loyalty/customers/${payer}`, { role: 'sales' });
    expect(account.body.points).toBeGreaterThan(0);
    expect(account.body.tier).toBe(expected[payer]);
  });

  it('records what the API records: a generated invoice and registration sent again through the API give events of the same shape', async () => {
    // An invoice of a customer credit has not put on hold (the API would refuse a twin for one that is).
    const { rows: [generated] } = await dbs.receivables.pool.query(
      `SELECT data, metadata FROM events WHERE event_type = 'InvoiceIssued'
          AND partition_key NOT IN (SELECT id FROM credit_positions WHERE (doc->>'onHold')::boolean) ORDER BY global_position LIMIT 1`);
    const d = generated.data;
    const body = { customerId: d.customerId, currency: d.currency, issueDate: d.issueDate,
      lines: d.lines.map((l: any) => ({ description: l.description, quantity: l.quantity, unitPrice: l.unitPrice })),
      terms: d.terms.type === 'net' ? d.terms : { type: 'installments', schedule: d.installments } };
    const sent = await callApi(services.receivables.url, 'POST', '/v1/invoices', { role: 'sales', body });
    expect(sent.status).toBe(201);
    const twin = (await events('receivables', 'InvoiceIssued')).find((e) => e.data.invoiceId === sent.body.id)!;
    expect(shape(twin.data)).toEqual(shape(d));
    expect({ ...twin.data, invoiceId: 'x', number: 'x' }).toEqual({ ...d, invoiceId: 'x', number: 'x' });
    expect(shape(twin.metadata)).toEqual(shape(generated.metadata));

    const [registration] = await events('customers', 'CustomerRegistered');
    const apiCustomer = await callApi(services.customers.url, 'POST', '/v1/customers', { role: 'sales', body: {
      kind: 'company', legalName: 'Twin Trading Co.', industry: 'tea', region: 'East', taxId: '91999900000000001X', accountManager: 'am-1', tags: ['tea', 'small'],
      contacts: [{ name: 'Li Wei', role: 'CFO', email: 'li.wei@twin.example.cn', phone: '+86 21 5555 1234', birthday: '1980-05-17' }] } });
    expect(apiCustomer.status).toBe(201);
    const registrations = await events('customers', 'CustomerRegistered');
    const twinRegistration = registrations.find((e) => e.data.customerId === apiCustomer.body.id)!;
    const company = registrations.find((e) => e.data.kind === 'company' && e.data.contacts?.[0]?.birthday && e !== twinRegistration) ?? registration;
    expect(shape({ ...twinRegistration.data, contacts: [twinRegistration.data.contacts[0]] })).toEqual(shape({ ...company.data, contacts: [company.data.contacts[0]] }));
    expect(String(company.data.contacts[0].email)).toMatch(/^sealed:v1:/);
    expect(shape(twinRegistration.metadata)).toEqual(shape(company.metadata));
  });
});
