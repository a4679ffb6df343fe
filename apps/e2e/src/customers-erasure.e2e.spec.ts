import { callApi, freshDatabase, kafkaBrokers, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, testTopicPrefix } from '@crm/testing';

/**
 * A person customer's legal name is personal data: sealed in customers' events (and so on
 * Kafka), never kept in clear by receivables or engagement, and after erasure no service's
 * answer or copy holds it.
 */
describe('customers: a person\'s legal name sealed and erased in every service (three services as processes)', () => {
  const dbs: Record<string, TestDatabase> = {};
  const services: Record<string, RunningService> = {};
  const names = ['customers', 'receivables', 'engagement'] as const;

  beforeAll(async () => {
    const prefix = testTopicPrefix('e2e');
    await Promise.all(names.map(async (name) => {
      dbs[name] = await freshDatabase();
      services[name] = await startService(name, {
        KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '1',
        AUTH_DEV_SECRET: TEST_AUTH_SECRET, DATABASE_URL: dbs[name].url,
      });
    }));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(Object.values(services).map((s) => s.stop()));
    await Promise.all(Object.values(dbs).map((d) => d.drop()));
  });

  const call = (service: string, method: string, path: string, role: string, body?: unknown) => callApi(services[service].url, method, path, { body, role });
  const everything = async (name: string) =>
    (await dbs[name].pool.query(`SELECT string_agg(doc::text, ' ') AS docs FROM ${name === 'receivables' ? 'known_customers' : 'customer_directory'}`)).rows[0].docs ?? '';

  it('seals the name, keeps it out of the other services, and shows it nowhere after erasure', async () => {
    const person = (await call('customers', 'POST', '/v1/customers', 'sales', { kind: 'person', legalName: 'Zhao Xiaoling', region: 'North' })).body.id;
    const company = (await call('customers', 'POST', '/v1/customers', 'sales', { kind: 'company', legalName: 'Tianjin Steelworks', region: 'North' })).body.id;
    const renamed = await call('customers', 'PATCH', `/v1/customers/${person}`, 'sales', { legalName: 'Zhao Xiao Ling' });
    expect(renamed.status).toBe(200);

    const stored = (await dbs.customers.pool.query('SELECT string_agg(data::text, \' \') AS t FROM events WHERE partition_key = $1', [person])).rows[0].t;
    expect(stored).not.toMatch(/Zhao/);
    expect((await dbs.customers.pool.query('SELECT data->>\'legalName\' AS n FROM events WHERE partition_key = $1 AND stream_version = 1', [company])).rows[0].n)
      .toBe('Tianjin Steelworks');
    expect((await call('customers', 'GET', `/v1/customers/${person}`, 'sales')).body).toMatchObject({ kind: 'person', legalName: 'Zhao Xiao Ling' });

    const directory = await pollUntil(async () => {
      const r = await call('engagement', 'GET', `/v1/customers/${person}`, 'account_manager');
      return r.status === 200 ? r : undefined;
    }, { what: 'the person in engagement' });
    expect(directory.body).toMatchObject({ customerId: person, kind: 'person', legalName: null, region: 'North' });
    await pollUntil(async () => ((await everything('receivables')).includes(person) && (await everything('engagement')).includes(company)) || undefined,
      { what: 'both customers in receivables and engagement' });
    for (const name of ['receivables', 'engagement']) expect(await everything(name)).not.toMatch(/Zhao|sealed:v1/);
    expect(await everything('engagement')).toMatch(/Tianjin Steelworks/);

    expect((await call('customers', 'POST', `/v1/customers/${person}/personal-data/erasure`, 'admin', { reason: 'DSR-2026-88' })).status).toBe(200);
    const after = (await call('customers', 'GET', `/v1/customers/${person}`, 'sales')).body;
    expect(after).toMatchObject({ legalName: '[erased]', personalDataErased: true });
    const history = await call('customers', 'GET', `/v1/customers/${person}/history`, 'auditor');
    expect(history.text).not.toMatch(/Zhao/);
    // The history is every service's events about the person: engagement's may sit between customers' own.
    const own = history.body.events.filter((e: any) => e.service === 'customers');
    expect(own.map((e: any) => [e.type, e.data.legalName])).toEqual([['CustomerRegistered', '[erased]'], ['CustomerProfileUpdated', '[erased]'], ['CustomerPersonalDataErased', undefined]]);
    expect((await call('customers', 'PATCH', `/v1/customers/${person}`, 'sales', { legalName: 'Someone Else' })).status).toBe(409);

    await pollUntil(async () => {
      const r = await call('engagement', 'GET', `/v1/customers/${person}`, 'account_manager');
      return r.body?.lastEventId !== directory.body.lastEventId || undefined;
    }, { what: 'the erasure in engagement' });
    const list = await call('engagement', 'GET', '/v1/customers?region=North', 'account_manager');
    expect(list.text).not.toMatch(/Zhao/);
    for (const name of ['receivables', 'engagement']) expect(await everything(name)).not.toMatch(/Zhao/);
  });
});
