import { randomUUID } from 'node:crypto';
import { CareCommand, DEFAULT_CARE_HOLIDAYS } from '@crm/engagement-domain';
import { DayCloseContext } from '@crm/platform';
import { freshDatabase, TestDatabase } from '@crm/testing';
import { CareDayClose } from './care-day-close';
import { CareStreams } from './care-streams';

/**
 * The holiday close over a real directory table: its keys are id ranges, each read in keyset
 * pages, so every consenting customer not archived is sent exactly one task per holiday —
 * across pages and ranges — and nobody else; a date that is no holiday has no keys.
 */
describe('care day close: holiday tasks in directory id ranges read in keyset pages (real PostgreSQL)', () => {
  let db: TestDatabase;
  const sent: CareCommand[] = [];
  const streams: Pick<CareStreams, 'holidays' | 'createTask'> = {
    holidays: async () => DEFAULT_CARE_HOLIDAYS,
    createTask: async (command: CareCommand) => { sent.push(command); return ['CareTaskCreated']; },
  };
  const context: DayCloseContext = { idempotencyKey: 'k', causationId: 'close-1', correlationId: 'c', metadata: { actor: { id: 'policy', roles: [] }, correlationId: 'c', causationId: 'c' },
    now: '2026-02-17T15:00:00.000Z' };

  beforeAll(async () => {
    db = await freshDatabase();
    await db.pool.query('CREATE TABLE customer_directory (id text PRIMARY KEY, doc jsonb NOT NULL)');
  });
  afterAll(async () => db?.drop());

  it('sends one task per consenting customer across pages and ranges, none to archived or unconsenting ones', async () => {
    // Twelve ids in range 00 (more than a page of 5), the rest spread over all ranges.
    const ids = [...Array.from({ length: 12 }, () => `00${randomUUID().slice(2)}`), ...Array.from({ length: 300 }, () => randomUUID())];
    const consenting = new Set<string>();
    for (const [i, id] of ids.entries()) {
      const consent = { email: i % 3 !== 0, sms: false, phone: false, wechat: i % 5 === 0 };
      const archived = i % 7 === 0;
      if ((consent.email || consent.wechat) && !archived) consenting.add(id);
      await db.pool.query('INSERT INTO customer_directory (id, doc) VALUES ($1, $2)', [id, { customerId: id, consent, archived }]);
    }
    const close = new CareDayClose(streams, db.pool);
    close.pageSize = 5;
    expect(await close.due('2026-02-18')).toEqual([]);
    const keys = await close.due('2026-02-17');
    expect(keys).toHaveLength(256);
    let recorded = 0;
    for (const key of keys) recorded += (await close.close(key, '2026-02-17', context)).length;

    const customers = sent.map((c) => c.data.customerId);
    expect(new Set(customers).size).toBe(customers.length);
    expect(new Set(customers)).toEqual(consenting);
    expect(recorded).toBe(consenting.size);
    expect(sent.filter((c) => c.data.customerId.startsWith('00')).length).toBeGreaterThan(5);
    expect(sent[0]).toMatchObject({ type: 'CreateHolidayTask', data: { holiday: 'Spring Festival', on: '2026-02-17', holidaysVersion: 0, causedBy: 'close-1' } });
    const some = sent.find((c) => ids.indexOf(c.data.customerId) % 5 === 0 && ids.indexOf(c.data.customerId) % 3 !== 0)!;
    expect(some.data.channels).toEqual(['email', 'wechat']);
  });
});
