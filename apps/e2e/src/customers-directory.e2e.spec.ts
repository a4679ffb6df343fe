import { eventsTopic } from '@crm/contracts';
import { KafkajsTransport } from '@crm/eventing';
import { callApi, freshDatabase, kafkaBrokers, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, testTopicPrefix } from '@crm/testing';

/**
 * The directory: filters, search by company name, tax id and contact email (a keyed blind
 * index: the email stays sealed in the events and is nowhere in the read model), stable
 * keyset pages, erasure dropping the email index, and a rebuild equal to the live model.
 */
describe('customers directory (service as a process, real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let customers: RunningService;
  const prefix = testTopicPrefix('e2e');
  const transport = new KafkajsTransport({ clientId: 'e2e-directory', brokers: kafkaBrokers(), quiet: true });

  beforeAll(async () => {
    db = await freshDatabase();
    customers = await startService('customers', {
      KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '2', AUTH_DEV_SECRET: TEST_AUTH_SECRET, DATABASE_URL: db.url,
    });
  }, 120_000);

  afterAll(async () => {
    await customers?.stop();
    await transport.close();
    await db?.drop();
  });

  const call = (method: string, path: string, body?: unknown, role = 'sales') => callApi(customers.url, method, path, { body, role });
  const ids = async (query: string) => (await call('GET', `/v1/customers?${query}`)).body.items.map((i: any) => i.customerId).sort();
  const register = async (body: object) => (await call('POST', '/v1/customers', body)).body.id as string;

  it('filters, searches without unsealing, pages stably, forgets erased emails, and rebuilds equal to live', async () => {
    const a = await register({ kind: 'company', legalName: 'Qingdao Ocean Foods', taxId: '91370200MA3C1XYZ01', region: 'North', tags: ['Seafood'], accountManager: 'am-1',
      contacts: [{ name: 'Liu Yang', email: 'Liu.Yang@QingdaoOcean.cn' }] });
    const b = await register({ kind: 'company', legalName: 'Ocean Star Trading', region: 'South', accountManager: 'am-2' });
    const c = await register({ kind: 'person', legalName: 'Sun Mei', region: 'North' });
    await call('POST', `/v1/customers/${c}/contacts`, { name: 'Sun Mei', email: 'sun.mei@example.cn' });
    const more = await Promise.all(Array.from({ length: 5 }, (_, i) => register({ kind: 'company', legalName: `Filler ${i}`, region: 'West' })));
    await pollUntil(async () => (await ids('limit=200')).length === 8 && (await ids('search=sun.mei@example.cn')).length === 1 || undefined, { what: 'the directory caught up' });

    expect(await ids('search=ocean')).toEqual([a, b].sort());
    expect(await ids('search=91370200-ma3c1xyz01')).toEqual([a]);
    expect(await ids('search=%20liu.yang@qingdaoocean.CN')).toEqual([a]);
    expect(await ids('search=sun.mei@example.cn')).toEqual([c]);
    expect(await ids('search=nobody@example.cn')).toEqual([]);
    expect(await ids('region=North&kind=company')).toEqual([a]);
    expect(await ids('accountManager=am-2')).toEqual([b]);
    expect(await ids('tag=seafood')).toEqual([a]);
    expect(await ids('abcClass=A')).toEqual([]);
    expect((await call('GET', '/v1/customers?kind=robot')).status).toBe(400);
    expect((await call('GET', '/v1/customers?limit=0')).status).toBe(400);
    expect((await call('GET', '/v1/customers?cursor=bogus')).status).toBe(400);

    const pages: string[] = [];
    for (let cursor: string | null = null, guard = 0; guard < 10; guard++) {
      const page: any = (await call('GET', `/v1/customers?limit=3${cursor ? `&cursor=${cursor}` : ''}`)).body;
      pages.push(...page.items.map((i: any) => i.customerId));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(pages).toEqual([a, b, c, ...more].sort());

    const docs = async () => (await db.pool.query('SELECT id, doc FROM customers_directory ORDER BY id')).rows;
    const text = JSON.stringify(await docs());
    expect(text).not.toMatch(/liu\.yang|sun\.mei|Sun Mei|sealed:v1/i);
    const person = (await call('GET', '/v1/customers?search=sun.mei@example.cn')).body.items[0];
    expect(person).toMatchObject({ customerId: c, kind: 'person', legalName: null });
    expect(person).not.toHaveProperty('emailIndexes');

    expect((await call('POST', `/v1/customers/${c}/personal-data/erasure`, { reason: 'DSR-9' }, 'admin')).status).toBe(200);
    await pollUntil(async () => (await ids('search=sun.mei@example.cn')).length === 0 || undefined, { what: 'the erasure in the directory' });

    await pollUntil(async () => {
      const ends = (await transport.endOffsets(eventsTopic('customers', prefix))).reduce((s, p) => s + Number(p.offset), 0);
      const { rows } = await db.pool.query(`SELECT coalesce(sum("offset" + 1), 0)::int AS n FROM consumer_checkpoints WHERE consumer = 'customers-directory'`);
      return rows[0].n === ends || undefined;
    }, { what: 'the directory at the end of the topic' });
    const live = await docs();
    expect((await call('POST', '/v1/admin/projections/customers-directory/rebuild', undefined, 'admin')).status).toBe(202);
    await pollUntil(async () => (await call('GET', '/v1/admin/projections/customers-directory/rebuild', undefined, 'admin')).body.status === 'completed' || undefined,
      { what: 'the rebuild', timeoutMs: 30_000 });
    expect(await docs()).toEqual(live);
  });
});
