import { Decider, domainError } from '@crm/contracts';
import { freshEventingDatabase, TestDatabase } from '@crm/testing';
import { PostgresEventStore } from '../store/postgres-event-store';
import { commandHandlerFor } from './command-handler';
import { closedGates, closeGate, takeGaplessNumber } from './counters-and-gates.sql';

/** A ledger entry that is numbered and dated into a gate; `refuse` makes the decider say no after the number was taken. */
type Post = { type: 'Post'; data: { refuse?: boolean; number?: number; gateClosed?: boolean } };
type Posted = { type: 'Posted'; schemaVersion: 1; data: { number: number } };
const ledger: Decider<{ n: number }, Post, Posted> = {
  initialState: () => ({ n: 0 }),
  decide: ({ data }) => {
    if (data.refuse) throw domainError('refused-at-random', 'refused', 'no');
    if (data.gateClosed) throw domainError('gate-closed', 'refused', 'closed', 'date');
    return [{ type: 'Posted', schemaVersion: 1, data: { number: data.number! } }];
  },
  evolve: (s) => ({ n: s.n + 1 }),
};
const metadata = { actor: { id: 'u', roles: ['admin'] }, correlationId: 'c', causationId: 'c' };

describe('gapless counters and gates in the append (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await freshEventingDatabase({ poolSize: 24 });
    store = new PostgresEventStore(db.pool);
  });
  afterAll(() => db.drop());

  const post = (handler: ReturnType<typeof commandHandlerFor<{ n: number }, Post, Posted>>, streamId: string, data: Post['data'],
    before: () => Promise<void> = async () => undefined) => handler.execute({
    streamId, partitionKey: streamId, command: { type: 'Post', data }, metadata, now: '2026-12-01T00:00:00Z',
    respond: (events) => events.map((e) => e.data.number),
    prepare: async (tx, command) => {
      const closed = await closedGates(tx, 'period', ['2026-11']);
      await before();
      return { ...command, data: { ...command.data, number: await takeGaplessNumber(tx, 'series-a'), gateClosed: closed.has('2026-11') } };
    },
  });

  it('8 concurrent writers with random refusals and stream conflicts leave no gap and no duplicate, in the order written', async () => {
    const handler = commandHandlerFor(store, { name: 'ledger', decider: ledger });
    // Two handlers (two "replicas") on a few shared streams: conflicts roll back and retry with a new take.
    const other = commandHandlerFor(store, { name: 'ledger', decider: ledger });
    let refused = 0;
    await Promise.all(Array.from({ length: 8 }, async (_, writer) => {
      for (let i = 0; i < 25; i++) {
        const refuse = Math.random() < 0.3;
        try {
          await post(writer % 2 ? handler : other, `ledger-${(writer + i) % 5}`, { refuse });
        } catch (error) {
          if ((error as { code?: string }).code !== 'refused-at-random') throw error;
          refused++;
        }
      }
    }));
    const { rows } = await db.pool.query(
      `SELECT (data->>'number')::int AS n FROM events WHERE event_type = 'Posted' ORDER BY recorded_at`);
    const numbers = rows.map((r) => r.n);
    expect(refused).toBeGreaterThan(0);
    expect(numbers).toHaveLength(200 - refused);
    // The order the rows were written in is number order: each append held the series' row from its take until its commit.
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    expect((await db.pool.query(`SELECT last_value FROM gapless_counters WHERE series = 'series-a'`)).rows[0].last_value).toBe(String(numbers.length));
  });

  it('a close waits for a writer that read its gate open; a writer waits for a close in flight and then sees it closed', async () => {
    const handler = commandHandlerFor(store, { name: 'ledger', decider: ledger });
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    let readOpen!: () => void;
    const gateRead = new Promise<void>((resolve) => { readOpen = resolve; });
    // The writer has read the gate open and holds its transaction open…
    const writer = post(handler, 'race-1', {}, async () => { readOpen(); await held; });
    await gateRead;
    let closedAt = 0;
    const close = (async () => {
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        await closeGate(client, { kind: 'period', id: '2026-11', streamId: 'periods' });
        // …so the close cannot shut the gate until the writer committed.
        await client.query('COMMIT');
        closedAt = Date.now();
      } finally {
        client.release();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(closedAt).toBe(0);
    const wroteAt = Date.now();
    release();
    expect(await writer).toHaveLength(1);
    await close;
    expect(closedAt).toBeGreaterThanOrEqual(wroteAt);

    // A close in flight (uncommitted) makes the next writer wait, then refuse.
    await db.pool.query(`UPDATE stream_gates SET closed = false WHERE kind = 'period'`);
    const client = await db.pool.connect();
    await client.query('BEGIN');
    await closeGate(client, { kind: 'period', id: '2026-11', streamId: 'periods' });
    let settled = false;
    const late = post(handler, 'race-2', {}).finally(() => { settled = true; });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    await client.query('COMMIT');
    client.release();
    await expect(late).rejects.toMatchObject({ code: 'gate-closed' });
    expect(await store.readStream('race-2')).toHaveLength(0);
  });
});
