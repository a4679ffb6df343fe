import { randomUUID } from 'node:crypto';
import { eventsTopic } from '@crm/contracts';
import { KafkajsTransport, RecordedEvent, toKafkaMessage } from '@crm/eventing';
import {
  callApi, freshDatabase, kafkaBrokers, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, tokenFor, testTopicPrefix,
} from '@crm/testing';

/**
 * Loyalty from the real receivables service: invoices and payments go in through receivables'
 * HTTP API, its InvoiceIssued / PaymentReceived / PaymentReversed on Kafka drive engagement's
 * points policy; engagement then answers tier, points and progress, redemptions, the tier
 * lists; the loyalty-members read model rebuilds equal to live, and a policy change leaves the
 * tier history as it was decided.
 */
describe('engagement: loyalty from the real receivables service (two services as processes, real PostgreSQL + Kafka)', () => {
  const dbs: Record<string, TestDatabase> = {};
  const services: Record<string, RunningService> = {};
  const prefix = testTopicPrefix('e2e');
  const transport = new KafkajsTransport({ clientId: 'e2e-engagement-loyalty', brokers: kafkaBrokers(), quiet: true });
  const [big, small, lapsed, stranger] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];

  const registered = (customerId: string): RecordedEvent => ({
    id: randomUUID(), type: 'CustomerRegistered', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00.000Z', streamId: `customer-${customerId}`,
    streamVersion: 1, partitionKey: customerId, globalPosition: '0', transactionId: '0', hash: '',
    metadata: { actor: { id: 'upstream', roles: ['admin'] }, correlationId: 'c', causationId: 'c' },
    data: { customerId, kind: 'company', legalName: `Co ${customerId.slice(0, 4)}`, tags: [] },
  } as RecordedEvent);

  beforeAll(async () => {
    const customers = eventsTopic('customers', prefix);
    await transport.ensureTopics([{ topic: customers, partitions: 2 }]);
    await transport.publish(customers, [big, small, lapsed].map((id) => toKafkaMessage(registered(id), 'crm.customers')));
    await Promise.all((['receivables', 'engagement'] as const).map(async (name) => {
      dbs[name] = await freshDatabase();
      services[name] = await startService(name, {
        KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '2',
        AUTH_DEV_SECRET: TEST_AUTH_SECRET, DATABASE_URL: dbs[name].url,
      });
    }));
    await pollUntil(async () => {
      const [r, e] = await Promise.all([dbs.receivables.pool.query('SELECT count(*)::int AS n FROM known_customers'),
        dbs.engagement.pool.query('SELECT count(*)::int AS n FROM customer_directory')]);
      return r.rows[0].n === 3 && e.rows[0].n === 3 || undefined;
    }, { what: 'both services know the customers' });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(Object.values(services).map((s) => s.stop()));
    await transport.close();
    await Promise.all(Object.values(dbs).map((d) => d.drop()));
  });

  const call = (service: string, method: string, path: string, role: string, body?: unknown) => callApi(services[service].url, method, path, { body, role });
  const loyalty = (id: string, query = '') => call('engagement', 'GET', `/v1/loyalty/customers/${id}${query}`, 'account_manager');
  const loyaltyUntil = (id: string, until: (body: any) => boolean) => pollUntil(async () => {
    const r = await loyalty(id);
    return r.status === 200 && until(r.body) ? r.body : undefined;
  }, { what: `loyalty of ${id}`, timeoutMs: 30_000 });
  const issue = async (customerId: string, total: number, issueDate: string) => {
    const r = await call('receivables', 'POST', '/v1/invoices', 'sales', {
      customerId, currency: 'CNY', issueDate, lines: [{ description: 'Longjing tea', quantity: 1, unitPrice: total }], terms: { type: 'net', days: 30 },
    });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const pay = async (customerId: string, amount: number, receivedOn: string) => {
    const r = await call('receivables', 'POST', '/v1/payments', 'collector', { customerId, amount, currency: 'CNY', receivedOn, method: 'bank_transfer', reference: `R-${amount}` });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const tierHistory = async () => (await dbs.engagement.pool.query(
    `SELECT stream_id, data FROM events WHERE event_type = 'LoyaltyTierChanged' ORDER BY global_position`)).rows;

  it('a late payment of 100,000.00 CNY recorded by receivables makes the customer Silver with 50,000 points', async () => {
    await issue(big, 10_000_000, '2026-01-01'); // due 2026-01-31
    await pay(big, 10_000_000, '2026-03-01');
    const view = await loyaltyUntil(big, (b) => b.points > 0);
    expect(view).toMatchObject({
      customerId: big, tier: 'Silver', tierSince: '2026-03-01', tierPolicyVersion: 1, points: 50_000, shortfall: 0,
      trailing12mPaid: [{ currency: 'CNY', amount: 10_000_000, wholeUnits: 100_000 }],
      nextTier: { tier: 'Gold', currency: 'CNY', threshold: 200_000, paid: 100_000, remaining: 100_000, progress: 0.5 },
      pointsExpiringNext: { points: 50_000, on: '2028-03-01' }, downgradePendingSince: null,
    });
    const [earned] = (await dbs.engagement.pool.query(`SELECT data FROM events WHERE event_type = 'LoyaltyPointsEarned'`)).rows;
    expect(earned.data).toMatchObject({ customerId: big, allocated: 10_000_000, dueDate: '2026-01-31', paidOn: '2026-03-01', rule: 'late', points: 50_000, policyVersion: 1 });
    expect((await tierHistory()).map((r) => r.data)).toEqual([expect.objectContaining({
      customerId: big, tier: 'Silver', previousTier: 'Member', direction: 'upgrade', on: '2026-03-01', policyVersion: 1,
      inputs: expect.objectContaining({ trailing12mPaid: [{ currency: 'CNY', amount: 10_000_000 }], decidingCurrency: 'CNY', threshold: 50_000 }),
    })]);
    // The day close next has work for this customer when the payment leaves the 12-month window.
    const { rows: [schedule] } = await dbs.engagement.pool.query(`SELECT due_on::text AS due_on FROM stream_schedule WHERE stream_id = $1`, [`loyalty-${big}`]);
    expect(schedule.due_on).toBe('2027-03-01');
    // As of a business date before the payment, from the events dated on or before it.
    expect((await loyalty(big, '?asOf=2026-02-28')).body).toMatchObject({ asOf: '2026-02-28', tier: 'Member', points: 0, trailing12mPaid: [] });
  });

  it('redeems within the balance only, names bad points, refuses unknown customers; a reversal takes the points back with a shortfall', async () => {
    await issue(small, 100_000, '2026-01-01');
    const payment = await pay(small, 100_000, '2026-01-20');
    await loyaltyUntil(small, (b) => b.points === 1_000);
    const redeem = (id: string, body: unknown) => call('engagement', 'POST', `/v1/loyalty/customers/${id}/redemptions`, 'account_manager', body);
    for (const points of [0, -5, 1.5, '10', undefined]) {
      const bad = await redeem(small, { points, reason: 'tea set' });
      expect([bad.status, bad.type, bad.body.errors?.map((e: any) => e.field)]).toEqual([400, expect.stringMatching(/problem\+json/), ['points']]);
    }
    const tooMany = await redeem(small, { points: 1_001, reason: 'tea set' });
    expect([tooMany.status, tooMany.body.type]).toEqual([422, expect.stringMatching(/\/insufficient-points$/)]);
    const unknown = await redeem(stranger, { points: 1, reason: 'tea set' });
    expect([unknown.status, unknown.body.type]).toEqual([422, expect.stringMatching(/\/unknown-customer$/)]);
    expect((await call('engagement', 'POST', `/v1/loyalty/customers/${small}/redemptions`, 'sales', { points: 1, reason: 'x' })).status).toBe(403);
    const key = randomUUID();
    const keyed = async () => {
      const response = await fetch(`${services.engagement.url}/v1/loyalty/customers/${small}/redemptions`, {
        method: 'POST', body: JSON.stringify({ points: 600, reason: 'tea set' }),
        headers: { 'content-type': 'application/json', 'idempotency-key': key, authorization: `Bearer ${await tokenFor('account_manager')}` },
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    const ok = await keyed();
    expect([ok.status, ok.body.points, ok.body.balance]).toEqual([201, 600, 400]);
    expect(await keyed()).toEqual(ok);
    expect((await loyalty(small)).body.points).toBe(400);
    expect((await call('receivables', 'POST', `/v1/payments/${payment}/reverse`, 'collector', { reversedOn: '2026-01-25' })).status).toBe(200);
    const after = await loyaltyUntil(small, (b) => b.points === 0);
    expect([after.points, after.shortfall, after.trailing12mPaid]).toEqual([0, 600, []]);
    expect((await loyalty(stranger)).status).toBe(404);
  });

  it('lists a tier\'s customers by keyset pages; unknown tiers are a 400 naming tier', async () => {
    const silver = await call('engagement', 'GET', '/v1/loyalty/tiers/Silver?limit=1', 'account_manager');
    expect(silver.body).toMatchObject({ tier: 'Silver', items: [{ customerId: big, tier: 'Silver', points: 50_000 }], nextCursor: null });
    // Registered customers are Members before any payment: the list holds small (and others registered here), never big.
    const members = await call('engagement', 'GET', '/v1/loyalty/tiers/Member?limit=500', 'account_manager');
    const memberIds = members.body.items.map((i: any) => i.customerId);
    expect(memberIds).toContain(small);
    expect(memberIds).not.toContain(big);
    const bronze = await call('engagement', 'GET', '/v1/loyalty/tiers/Bronze', 'account_manager');
    expect([bronze.status, bronze.body.errors?.[0]?.field]).toEqual([400, 'tier']);
    expect((await call('engagement', 'GET', '/v1/loyalty/tiers/Silver?cursor=nope!', 'account_manager')).status).toBe(400);
  });

  it('a policy change is a new version; tiers decided before it stay, a rebuild equals live and gives the same tier history', async () => {
    expect((await call('engagement', 'GET', '/v1/loyalty/policy', 'account_manager')).body).toEqual({
      version: 1, rates: { onTimePercent: 100, latePercent: 50 }, thresholds: { Silver: 50_000, Gold: 200_000, Platinum: 1_000_000 },
      currencyThresholds: [], expiryMonths: 24, downgradeGraceDays: 30,
    });
    expect((await call('engagement', 'PUT', '/v1/loyalty/policy', 'account_manager', { thresholds: { Silver: 150_000 } })).status).toBe(403);
    expect((await call('engagement', 'PUT', '/v1/loyalty/policy', 'admin', { thresholds: { Silver: 300_000 } })).body.errors?.[0]?.field).toBe('thresholds');
    const changed = await call('engagement', 'PUT', '/v1/loyalty/policy', 'admin', { thresholds: { Silver: 150_000 } });
    expect([changed.status, changed.body.version, changed.body.thresholds.Silver]).toEqual([200, 2, 150_000]);
    const history = await tierHistory();
    // A live model that has applied everything on its topic (the GETs above read the streams, not it).
    const live = await pollUntil(async () => {
      const { rows } = await dbs.engagement.pool.query('SELECT id, doc FROM loyalty_members ORDER BY id');
      return rows.find((r) => r.id === small)?.doc.points === 0 ? rows : undefined;
    }, { what: 'the live loyalty-members model' });
    const admin = (method: string) => call('engagement', method, '/v1/admin/projections/loyalty-members/rebuild', 'admin');
    expect((await admin('POST')).status).toBe(202);
    await pollUntil(async () => (await admin('GET')).body.status === 'completed' || undefined, { what: 'the rebuild', timeoutMs: 30_000 });
    expect((await dbs.engagement.pool.query('SELECT id, doc FROM loyalty_members ORDER BY id')).rows).toEqual(live);
    expect(await tierHistory()).toEqual(history);
    // The stream folded again from its first event (no cache) still says Silver, decided under version 1.
    expect((await loyalty(big, '?asOf=2026-12-31')).body).toMatchObject({ tier: 'Silver', tierPolicyVersion: 1, points: 50_000, policyVersion: 2,
      nextTier: { tier: 'Gold' } });
    expect(live.find((r) => r.id === big)!.doc).toMatchObject({ tier: 'Silver', policyVersion: 1 });
  });

  it('day close touches only who is due: a payment leaving the window starts the grace, the 30th close below downgrades (under the policy in force)', async () => {
    await issue(lapsed, 16_000_000, '2025-01-01');
    await pay(lapsed, 16_000_000, '2025-03-01');
    // Decided under version 2 (Silver from 150,000); due 2025-01-31, so late: 80,000 points.
    expect(await loyaltyUntil(lapsed, (b) => b.points > 0)).toMatchObject({ tier: 'Silver', tierPolicyVersion: 2, points: 80_000 });
    const close = (businessDate: string) => call('engagement', 'POST', '/v1/operations/close-day', 'account_manager', { businessDate });
    const due = await dbs.engagement.pool.query(`SELECT stream_id FROM stream_schedule WHERE category = 'loyalty-account' AND due_on <= '2026-03-01'`);
    expect(due.rows.map((r) => r.stream_id)).toEqual([`loyalty-${lapsed}`]);
    const first = await close('2026-03-01');
    expect([first.status, first.body.status]).toEqual([200, 'completed']);
    expect(first.body.recorded).toMatchObject({ LoyaltyDowngradePending: 1 });
    expect(first.body.recorded.LoyaltyTierChanged).toBeUndefined();
    expect((await loyalty(lapsed)).body).toMatchObject({ tier: 'Silver', downgradePendingSince: '2026-03-01', downgradeOn: '2026-03-30', trailing12mPaid: [] });
    expect((await close('2026-03-29')).body.recorded.LoyaltyTierChanged).toBeUndefined();
    expect((await close('2026-03-30')).body.recorded).toMatchObject({ LoyaltyTierChanged: 1 });
    const [, , down] = (await tierHistory()).map((r) => r.data);
    expect(down).toMatchObject({ customerId: lapsed, tier: 'Member', previousTier: 'Silver', direction: 'downgrade', on: '2026-03-30', policyVersion: 2,
      inputs: { belowSince: '2026-03-01', trailing12mPaid: [] } });
    expect((await loyalty(big)).body).toMatchObject({ tier: 'Silver', downgradePendingSince: null });
    // Two Members now: keyset pages of one, in id order, with nothing repeated or left out.
    const page = (cursor?: string) => call('engagement', 'GET', `/v1/loyalty/tiers/Member?limit=1${cursor ? `&cursor=${cursor}` : ''}`, 'account_manager');
    const first1 = await pollUntil(async () => {
      const r = await page();
      return r.body.nextCursor ? r.body : undefined;
    }, { what: 'two Members in the tier list' });
    const second = (await page(first1.nextCursor)).body;
    expect([...first1.items, ...second.items].map((i: any) => i.customerId)).toEqual([small, lapsed].sort());
    expect(second.nextCursor).toBeNull();
  });
});
