import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { eventsTopic, deadLetterTopic, ServiceName } from '@crm/contracts';
import { KafkajsTransport, verifyStream } from '@crm/eventing';
import {
  callApi, freshDatabase, kafkaBrokers, messageText, pollUntil, readTopics, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, testTopicPrefix,
} from '@crm/testing';

/**
 * One customer's whole history, with the four real services as processes on one Kafka: a
 * registration with a contact, a credit limit, an invoice that reaches dunning level 3 (credit
 * holds), a payment sent with a correlation id (receivables settles the invoice, engagement
 * earns points and raises the tier, credit releases the hold). Customers' history lists every
 * service's events in order, filters and pages them, and the correlation id leads to each event
 * the payment caused. Then the customer is erased, and every table of the four databases, every
 * message of the run's topics and the services' logs are searched for the person's name, email,
 * phone and birthday: none is found, while the history, the amounts and the hash chains stay.
 */
describe('a customer\'s history across the four services, a correlation followed, and erasure swept (four services as processes)', () => {
  const names = ['customers', 'credit', 'receivables', 'engagement'] as const satisfies readonly ServiceName[];
  const dbs = {} as Record<ServiceName, TestDatabase>;
  const services = {} as Record<ServiceName, RunningService>;
  const prefix = testTopicPrefix('e2e');
  const transport = new KafkajsTransport({ clientId: 'e2e-customer-history', brokers: kafkaBrokers(), quiet: true });
  const contact = { name: 'Qian Meilin', role: 'buyer', email: 'qian.meilin@example.cn', phone: '+86 138 1234 5678', birthday: '1979-11-23' };
  const personal = /qian|meilin|138 ?1234 ?5678|13812345678|1979-11-23/i;
  const correlationId = `pay-${randomUUID()}`;
  let customerId = '';
  let paymentId = '';

  beforeAll(async () => {
    await Promise.all(names.map(async (name) => {
      dbs[name] = await freshDatabase();
      services[name] = await startService(name, {
        KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '2',
        AUTH_DEV_SECRET: TEST_AUTH_SECRET, DATABASE_URL: dbs[name].url, LOG_LEVEL: 'info',
      }, 120_000);
    }));
  }, 180_000);

  /** `npm run audit -- <args> --service <s>` as CI runs it: the service's own configuration, a child process. */
  function audit(service: ServiceName, ...args: string[]): Promise<{ code: number | null; stdout: string; output: string }> {
    const child = spawn(process.execPath, [path.resolve(__dirname, '../../../scripts/audit.cjs'), ...args, '--service', service], {
      env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'warn', KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix,
        KAFKA_TOPIC_PARTITIONS: '2', AUTH_DEV_SECRET: TEST_AUTH_SECRET, DATABASE_URL: dbs[service].url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let [stdout, output] = ['', ''];
    child.stdout.on('data', (d) => { stdout += d; output += d; });
    child.stderr.on('data', (d) => { output += d; });
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, output })));
  }

  afterAll(async () => {
    await Promise.all(Object.values(services).map((s) => s.stop()));
    await transport.close();
    await Promise.all(Object.values(dbs).map((d) => d.drop()));
  });

  const call = (service: ServiceName, method: string, path: string, role: string, body?: unknown, headers?: Record<string, string>) =>
    callApi(services[service].url, method, path, { body, role, headers });
  const history = (query = '') => call('customers', 'GET', `/v1/customers/${customerId}/history${query}`, 'auditor');
  const position = async () => (await call('credit', 'GET', `/v1/credit/customers/${customerId}`, 'auditor')).body;

  /** The read models users query, each as [service, path]; every one answers `asOf=<instant>`. */
  const readModels = (): Array<[ServiceName, string]> => [
    ['customers', `/v1/customers/${customerId}`],
    ['customers', `/v1/customers/${customerId}/overview`],
    ['customers', '/v1/customers?search=Ningbo%20Harbour'],
    ['credit', `/v1/credit/customers/${customerId}`],
    ['receivables', `/v1/customers/${customerId}/statement?from=2026-01-01&to=2026-12-31`],
    ['engagement', `/v1/churn-risk/${customerId}`],
    ['engagement', `/v1/loyalty/customers/${customerId}`],
    ['engagement', '/v1/churn-risk?minScore=0'],
  ];
  const answer = async ([service, path]: [ServiceName, string], asOf?: string) => {
    const r = await call(service, 'GET', asOf ? `${path}${path.includes('?') ? '&' : '?'}asOf=${encodeURIComponent(asOf)}` : path, 'auditor');
    const { asOf: _asOf, ...body } = r.body ?? {};
    return { status: r.status, body: r.status === 200 ? body : r.body?.type };
  };
  const answers = () => Promise.all(readModels().map((m) => answer(m)));
  /** Moments of the scenario: the instant and every read model's answer then, read once it stopped changing. */
  const moments: Array<{ at: string; answers: unknown[] }> = [];
  async function moment() {
    // The instant lies between two equal readings 2 s apart: what every read model answered then.
    let seen = await answers();
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      const at = new Date().toISOString();
      await new Promise((r) => setTimeout(r, 1000));
      const again = await answers();
      if (JSON.stringify(again) === JSON.stringify(seen)) {
        moments.push({ at, answers: seen });
        return;
      }
      seen = again;
    }
  }

  /** The collection read models answer `asOf=<business date>`: each closed date's answers, read once the close is in them. */
  const collectionViews = () => [`/v1/overdue?customerId=${customerId}`, `/v1/aging?customerId=${customerId}`, '/v1/allowance'];
  const closedDays: Array<{ date: string; answers: unknown[] }> = [];
  async function closedDay(date: string) {
    const read = () => Promise.all(collectionViews().map(async (path) => (await call('receivables', 'GET', path, 'auditor')).body));
    closedDays.push({ date, answers: await pollUntil(async () => {
      const now = await read();
      return now.every((a: any) => a.asOf === date) ? now : undefined;
    }, { what: `the collection views of ${date}`, timeoutMs: 60_000 }) });
  }

  it('records the scenario in all four services', async () => {
    const registered = await call('customers', 'POST', '/v1/customers', 'sales', { kind: 'company', legalName: 'Ningbo Harbour Tea', region: 'East', contacts: [contact] });
    expect(registered.status).toBe(201);
    customerId = registered.body.id;
    await pollUntil(async () => {
      const known = await Promise.all([dbs.credit, dbs.receivables].map((db) => db.pool.query('SELECT 1 FROM known_customers WHERE id = $1', [customerId])));
      return known.every((r) => r.rowCount === 1) || undefined;
    }, { what: 'credit and receivables know the customer', timeoutMs: 60_000 });
    await moment();

    expect((await call('credit', 'POST', `/v1/credit/customers/${customerId}/financials`, 'credit_manager',
      { annualRevenue: 20_000_000_000, debtRatio: 0.4, currentRatio: 2.2, yearsInBusiness: 15, asOf: '2025-12-31' })).status).toBe(201);
    expect((await call('credit', 'POST', `/v1/credit/customers/${customerId}/assessments`, 'credit_manager')).status).toBe(201);
    const request = await call('credit', 'POST', '/v1/credit/limit-requests', 'sales',
      { customerId, amount: 50_000_000, currency: 'CNY', paymentTermsDays: 30, reason: 'tea distributor' });
    expect((await call('credit', 'POST', `/v1/credit/limit-requests/${request.body.id}/approve`, 'credit_manager', {})).body.status).toBe('approved');
    await pollUntil(async () => (await dbs.receivables.pool.query('SELECT doc FROM credit_positions WHERE id = $1', [customerId])).rows[0]?.doc.paymentTermsDays === 30 || undefined,
      { what: 'receivables\' copy of the limit', timeoutMs: 60_000 });
    await moment();

    const invoice = await call('receivables', 'POST', '/v1/invoices', 'sales', {
      customerId, currency: 'CNY', issueDate: '2026-01-01', lines: [{ description: 'Longjing tea', quantity: 1, unitPrice: 10_000_000 }], terms: { type: 'net', days: 30 } });
    expect(invoice.status).toBe(201);
    await moment();
    // Dunning climbs one level per closed business day: level 3 (the hold) on the third close.
    // 200 once a run is done, 202 while it runs (a loaded machine): each is awaited before the next.
    for (const businessDate of ['2026-03-02', '2026-03-03', '2026-03-04']) {
      expect([200, 202]).toContain((await call('receivables', 'POST', '/v1/operations/close-day', 'credit_manager', { businessDate })).status);
      await pollUntil(async () => (await call('receivables', 'GET', `/v1/operations/close-day/${businessDate}`, 'credit_manager')).body?.status === 'completed' || undefined,
        { what: `the close of ${businessDate}`, timeoutMs: 60_000 });
      await closedDay(businessDate);
    }
    await pollUntil(async () => (await position())?.onHold || undefined, { what: 'the automatic hold', timeoutMs: 60_000 });
    await moment();

    const paid = await call('receivables', 'POST', '/v1/payments', 'collector',
      { customerId, amount: 10_000_000, currency: 'CNY', receivedOn: '2026-03-05', method: 'bank_transfer', reference: 'B-77' }, { 'X-Correlation-Id': correlationId });
    expect(paid.status).toBe(201);
    paymentId = paid.body.id;
    await pollUntil(async () => (await position())?.onHold === false || undefined, { what: 'the hold released', timeoutMs: 60_000 });
    await pollUntil(async () => (await call('engagement', 'GET', `/v1/loyalty/customers/${customerId}`, 'auditor')).body?.tier === 'Silver' || undefined,
      { what: 'the Silver tier', timeoutMs: 60_000 });
    await moment();
  }, 300_000);

  it('answers every read model as of each recorded moment as it answered then', async () => {
    expect(moments).toHaveLength(5);
    // The scenario moved each read model: the moments are not all alike.
    const distinct = (model: number) => new Set(moments.map((m) => JSON.stringify(m.answers[model]))).size;
    for (const model of [1, 3, 4]) expect(distinct(model)).toBeGreaterThan(2);
    expect(distinct(6)).toBe(2); // loyalty: a Member until the payment
    for (const { at, answers: then } of moments) {
      const asOf = await Promise.all(readModels().map((m) => answer(m, at)));
      expect({ at, asOf }).toEqual({ at, asOf: then });
    }
    const before = await Promise.all(readModels().map((m) => answer(m, '2020-01-01T00:00:00Z')));
    expect(before.map((a) => a.status)).toEqual([404, 404, 200, 200, 200, 404, 200, 200]);
    expect(before[6].body).toMatchObject({ tier: 'Member', points: 0 });
    expect(before[7].body).toMatchObject({ items: [], nextCursor: null });

    // The overdue list, aging and allowance as of each closed business date, asked after the payment settled the invoice.
    expect(closedDays.map((d) => d.date)).toEqual(['2026-03-02', '2026-03-03', '2026-03-04']);
    expect(new Set(closedDays.map((d) => JSON.stringify((d.answers[0] as any).items.map((i: any) => i.dunningLevel)))).size).toBe(3);
    expect((await call('receivables', 'GET', `/v1/overdue?customerId=${customerId}&asOf=2026-03-05`, 'auditor')).body.items).toEqual([]);
    for (const { date, answers: then } of closedDays) {
      const asOf = await Promise.all(collectionViews().map(async (path) => (await call('receivables', 'GET', `${path}${path.includes('?') ? '&' : '?'}asOf=${date}`, 'auditor')).body));
      expect({ date, asOf }).toEqual({ date, asOf: then });
    }
    const bad = await call('engagement', 'GET', `/v1/churn-risk/${customerId}?asOf=yesterday`, 'auditor');
    expect([bad.status, bad.body.errors?.[0]?.field]).toEqual([400, 'asOf']);
  });

  it('follows the payment\'s correlation id to every event it caused, across services', async () => {
    const expected = ['PaymentReceived', 'LoyaltyPointsEarned', 'LoyaltyTierChanged', 'CreditHoldReleased'];
    const chain = await pollUntil(async () => {
      const r = await call('customers', 'GET', `/v1/audit/correlations/${correlationId}`, 'auditor');
      return r.status === 200 && expected.every((t) => r.body.events.some((e: any) => e.type === t)) ? r.body : undefined;
    }, { what: 'the correlated events in the timeline', timeoutMs: 60_000 });
    expect(chain.correlationId).toBe(correlationId);
    const byType = (type: string) => chain.events.find((e: any) => e.type === type);
    const payment = byType('PaymentReceived');
    expect(payment).toMatchObject({ service: 'receivables', subject: customerId, correlationId, data: { paymentId } });
    expect(byType('LoyaltyPointsEarned')).toMatchObject({ service: 'engagement', causationId: payment.id, actor: { id: expect.stringMatching(/policy/) } });
    expect(byType('CreditHoldReleased')).toMatchObject({ service: 'credit', causationId: payment.id });
    expect(byType('LoyaltyTierChanged')).toMatchObject({ service: 'engagement', data: { tier: 'Silver' } });
    expect(chain.events.every((e: any) => e.correlationId === correlationId)).toBe(true);
    expect(new Set(chain.events.map((e: any) => e.service))).toEqual(new Set(['receivables', 'engagement', 'credit']));
    // Recorded-time order: nothing caused lies before its cause.
    expect(chain.events.findIndex((e: any) => e.id === payment.id)).toBeLessThan(chain.events.findIndex((e: any) => e.type === 'CreditHoldReleased'));

    expect((await call('customers', 'GET', `/v1/audit/correlations/${randomUUID()}`, 'auditor')).status).toBe(404);
    expect((await call('customers', 'GET', `/v1/audit/correlations/${correlationId}`, 'sales')).status).toBe(403);
    const bad = await call('customers', 'GET', '/v1/audit/correlations/has%20space', 'auditor');
    expect([bad.status, bad.body.errors?.[0]?.field]).toEqual([400, 'correlationId']);
  });

  it('lists every service\'s events about the customer in recorded-time order, contacts opened, with filters and pages', async () => {
    const full = await pollUntil(async () => {
      const r = await history('?limit=500');
      return r.status === 200 && names.every((s) => r.body.events.some((e: any) => e.service === s))
        && r.body.events.some((e: any) => e.type === 'CreditHoldReleased') ? r.body : undefined;
    }, { what: 'all four services in the history', timeoutMs: 60_000 });
    const events: any[] = full.events;
    expect(full).toMatchObject({ customerId, nextCursor: null, integrity: { valid: true } });
    for (const e of events) {
      expect(Object.keys(e)).toEqual(expect.arrayContaining(['service', 'type', 'time', 'recordedAt', 'actor', 'correlationId', 'causationId', 'streamId', 'streamVersion', 'data']));
    }
    const keys = events.map((e) => [e.recordedAt, e.service, e.streamVersion, e.id].join('|'));
    expect(keys).toEqual([...keys].sort());
    // Per service, each stream in stream order.
    for (const stream of new Set(events.map((e) => e.streamId))) {
      const versions = events.filter((e) => e.streamId === stream).map((e) => e.streamVersion);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
    }
    expect(events[0]).toMatchObject({ service: 'customers', type: 'CustomerRegistered', data: { contacts: [{ name: 'Qian Meilin', email: 'qian.meilin@example.cn' }] } });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['CreditLimitApproved', 'InvoiceIssued', 'DunningLevelRaised', 'CreditHoldPlaced', 'PaymentReceived', 'LoyaltyTierChanged']));

    const onlyEngagement = (await history('?service=engagement&limit=500')).body.events;
    expect(onlyEngagement.length).toBeGreaterThan(0);
    expect(onlyEngagement).toEqual(events.filter((e) => e.service === 'engagement'));
    expect((await history('?type=PaymentReceived')).body.events.map((e: any) => e.data.paymentId)).toEqual([paymentId]);
    const middle = events[Math.floor(events.length / 2)].recordedAt;
    expect((await history(`?from=${encodeURIComponent(middle)}&limit=500`)).body.events).toEqual(events.filter((e) => e.recordedAt >= middle));
    expect((await history(`?to=${encodeURIComponent(middle)}&limit=500`)).body.events).toEqual(events.filter((e) => e.recordedAt <= middle));

    const paged: any[] = [];
    let cursor: string | null = '';
    for (let pages = 0; cursor !== null; pages++) {
      const page: any = (await history(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`)).body;
      expect(page.events.length).toBeLessThanOrEqual(3);
      paged.push(...page.events);
      cursor = page.nextCursor;
      expect(pages).toBeLessThan(events.length);
    }
    expect(paged).toEqual(events);

    for (const [query, field] of [['?service=billing', 'service'], ['?cursor=bm90LWEtY3Vyc29y', 'cursor'], ['?from=yesterday', 'from'], ['?limit=0', 'limit'],
      [`?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z`, 'to']] as const) {
      const r = await history(query);
      expect([query, r.status, r.type, r.body.errors?.[0]?.field]).toEqual([query, 400, expect.stringMatching(/problem\+json/), field]);
    }
    expect((await call('customers', 'GET', `/v1/customers/${randomUUID()}/history`, 'auditor')).status).toBe(404);
  });

  it('after erasure, no table, topic message or log line holds the person\'s name, email, phone or birthday; history, amounts and chains stay', async () => {
    const before = await pollUntil(async () => {
      const r = await history('?limit=500');
      return r.body.events.some((e: any) => e.type === 'LoyaltyTierChanged') ? r.body : undefined;
    }, { what: 'the history before erasure' });
    expect((await call('customers', 'POST', `/v1/customers/${customerId}/personal-data/erasure`, 'admin', { reason: 'DSR-2026-301' })).status).toBe(200);

    const after = await pollUntil(async () => {
      const r = await history('?limit=500');
      return r.body.events.some((e: any) => e.type === 'CustomerPersonalDataErased' && e.service === 'customers') ? r : undefined;
    }, { what: 'the erasure in the history' });
    expect(after.text).not.toMatch(personal);
    expect(after.body.events[0].data.contacts[0]).toMatchObject({ name: '[erased]', email: '[erased]', phone: '[erased]', birthday: '[erased]', role: 'buyer' });
    expect(after.body.integrity.valid).toBe(true);
    // The history before, less its personal values, is the history after (amounts and all).
    const withoutErasure = after.body.events.filter((e: any) => e.type !== 'CustomerPersonalDataErased');
    const unsealedOnly = (events: any[]) => JSON.stringify(events.map((e) => ({ ...e, data: e.type === 'CustomerRegistered' ? { ...e.data, contacts: [] } : e.data })));
    expect(unsealedOnly(withoutErasure.slice(0, before.events.length))).toEqual(unsealedOnly(before.events));
    expect(withoutErasure.find((e: any) => e.type === 'PaymentReceived').data).toMatchObject({ amount: 10_000_000, currency: 'CNY' });

    // Every column of every table of the four databases, as text.
    for (const name of names) {
      const { rows: tables } = await dbs[name].pool.query(
        `SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'`);
      expect(tables.length).toBeGreaterThan(3);
      for (const t of tables) {
        const { rows } = await dbs[name].pool.query(`SELECT t::text AS row FROM "${t.table_schema}"."${t.table_name}" t`);
        const hit = rows.find((r) => personal.test(r.row));
        expect([name, t.table_name, hit?.row]).toEqual([name, t.table_name, undefined]);
      }
      const { rows: streams } = await dbs[name].pool.query('SELECT DISTINCT stream_id FROM events');
      for (const { stream_id } of streams) expect(await verifyStream(dbs[name].pool, stream_id)).toMatchObject({ streamId: stream_id, valid: true });
    }
    // Every message (key, headers, value) of the run's topics.
    const topics = names.flatMap((name) => [eventsTopic(name, prefix), deadLetterTopic(name, prefix)]);
    const messages = await readTopics(transport, topics);
    expect(messages.filter((m) => m.key === customerId).length).toBeGreaterThan(10);
    expect(messages.map(messageText).filter((text) => personal.test(text))).toEqual([]);
    // The services' logs.
    for (const name of names) {
      expect(services[name].output().length).toBeGreaterThan(0);
      expect(services[name].output().split('\n').filter((line) => personal.test(line))).toEqual([]);
    }

    // Read models still rebuild from the topics, the erased customer's events among them.
    expect((await call('customers', 'POST', '/v1/admin/projections/customer-timeline/rebuild', 'admin')).status).toBe(202);
    await pollUntil(async () => (await call('customers', 'GET', '/v1/admin/projections/customer-timeline/rebuild', 'admin')).body.status === 'completed' || undefined,
      { what: 'the timeline rebuild', timeoutMs: 60_000 });
    expect((await history('?limit=500')).body.events).toEqual(after.body.events);
  });

  it('rebuilds every read model of every service from offset zero equal to the live rows, companion tables included (what CI runs after the scenario)', async () => {
    const results = await Promise.all(names.map(async (name) => ({ name, ...(await audit(name, 'rebuild', '--projection', 'all', '--compare', '--json')) })));
    for (const { name, code, stdout, output } of results) {
      // One JSON line per read model; the output is in the expectation so a failure says why.
      const lines = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      expect({ name, code, output: code === 0 ? '' : output }).toEqual({ name, code: 0, output: '' });
      expect(lines.length).toBeGreaterThan(2);
      for (const line of lines) {
        expect({ name, projection: line.projection, differing: line.differing, companions: line.companions.filter((c: any) => c.differing > 0) })
          .toEqual({ name, projection: line.projection, differing: 0, companions: [] });
      }
      if (name === 'receivables') {
        const invoices = lines.find((l) => l.projection === 'receivable-invoices');
        expect(invoices.companions.map((c: any) => c.companion)).toEqual(expect.arrayContaining(['open', 'versions', 'totals']));
        expect(invoices.companions.find((c: any) => c.companion === 'versions').liveRows).toBeGreaterThan(2);
      }
    }
    // Every read model of every service was compared, and held rows.
    const compared = results.flatMap(({ name, stdout }) => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => `${name}/${JSON.parse(l).projection}`));
    expect(compared).toEqual(expect.arrayContaining(['customers/customers-directory', 'credit/credit-positions', 'receivables/receivable-invoices', 'engagement/loyalty-members', 'engagement/churn-risk']));
  }, 300_000);
});
