import { Decider, domainError } from '@crm/contracts';
import { freshEventingDatabase, TestDatabase } from '@crm/testing';
import { IdempotencyKeyReusedError, WrongExpectedVersionError } from '../store/event-store.errors';
import { PostgresEventStore } from '../store/postgres-event-store';
import { CommandHandler, commandHandlerFor, CommandHandlerOptions } from './command-handler';
import { writeSchedule } from './command-support.sql';

/** A tally whose fold changes the state in place, as the receivables account's does. */
type Tally = { count: number; items: Record<string, number> };
type Add = { type: 'Add'; data: { item: string; by: number; dueOn?: string } };
type Added = { type: 'Added'; schemaVersion: 1; data: { item: string; by: number; dueOn?: string } };
const tally: Decider<Tally, Add, Added> = {
  initialState: () => ({ count: 0, items: {} }),
  decide: (c) => {
    if (c.data.by <= 0) throw domainError('not-positive', 'invalid', 'by must be positive', 'by');
    return [{ type: 'Added', schemaVersion: 1, data: c.data }];
  },
  evolve: (s, e) => {
    s.count += e.data.by;
    s.items[e.data.item] = (s.items[e.data.item] ?? 0) + e.data.by;
    return s;
  },
};
const metadata = { actor: { id: 'u', roles: ['admin'] }, correlationId: 'c', causationId: 'c' };
const options = (extra: Partial<CommandHandlerOptions<Tally, Add, Added>> = {}): CommandHandlerOptions<Tally, Add, Added> => ({
  name: 'tally', decider: tally, snapshots: { schemaVersion: 1, everyEvents: 10 },
  lookups: (e) => [{ kind: 'item', id: e.data.item }],
  schedule: { category: 'tally', nextDueOn: (s) => (s.count >= 5 ? null : '2026-12-31') },
  ...extra,
});
const replay = (store: PostgresEventStore, streamId: string) => store.readStream<Added>(streamId)
  .then((events) => events.reduce((s, e) => tally.evolve(s, e), tally.initialState()));

describe('command handler (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await freshEventingDatabase({ poolSize: 20 });
    store = new PostgresEventStore(db.pool);
  });
  afterAll(() => db.drop());

  const add = <R = { version: number }>(handler: CommandHandler<Tally, Add, Added>, streamId: string, data: Add['data'], extra: object = {}) =>
    handler.execute<R>({
      streamId, partitionKey: streamId, command: { type: 'Add', data }, metadata, now: '2026-11-24T00:00:00Z',
      respond: (_events, version) => ({ version }) as R, ...extra,
    });

  it('answers concurrent twins of one Idempotency-Key with the first response and appends once', async () => {
    const handler = commandHandlerFor(store, options());
    const answers = await Promise.all(Array.from({ length: 8 }, () =>
      add(handler, 'twins', { item: 'a', by: 1 }, { idempotency: { scope: 'Add', key: 'key-1', request: { by: 1 } } })));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(await store.readStream('twins')).toHaveLength(1);
  });

  it('remembers the answer to a command that appended nothing: a retry gets it, another request under the key is refused', async () => {
    const noop: Decider<Tally, Add, Added> = { ...tally, decide: () => [] };
    const handler = commandHandlerFor(store, options({ decider: noop }));
    const key = { scope: 'Add', key: 'noop-1' };
    const first = await add(handler, 'noop', { item: 'a', by: 1 }, { idempotency: { ...key, request: { by: 1 } }, respond: () => ({ changed: false }) });
    expect(first).toEqual({ changed: false });
    await expect(add(handler, 'noop', { item: 'a', by: 2 }, { idempotency: { ...key, request: { by: 2 } } })).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await add(handler, 'noop', { item: 'a', by: 1 }, { idempotency: { ...key, request: { by: 1 } }, respond: () => ({ changed: 'other' }) }))
      .toEqual({ changed: false });
    expect(await store.readStream('noop')).toHaveLength(0);
  });

  it('loses no update when two replicas race on one stream without If-Match: conflicts are retried on fresh state', async () => {
    const [one, two] = [commandHandlerFor(store, options()), commandHandlerFor(store, options())];
    await Promise.all(Array.from({ length: 30 }, (_, i) => add(i % 2 ? one : two, 'racers', { item: `i${i % 3}`, by: 1 })));
    const events = await store.readStream('racers');
    expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const expected = await replay(store, 'racers');
    expect((await one.load('racers')).state).toEqual(expected);
    expect((await two.load('racers')).state).toEqual(expected);
    expect(expected.count).toBe(30);
  });

  it('reports an If-Match conflict instead of retrying, and appends nothing', async () => {
    const handler = commandHandlerFor(store, options());
    await add(handler, 'if-match', { item: 'a', by: 1 });
    await expect(add(handler, 'if-match', { item: 'a', by: 1 }, { expectedVersion: 0 })).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(await store.readStream('if-match')).toHaveLength(1);
  });

  it('forgets a state folded for an append that failed: the next command decides on what the store holds', async () => {
    const handler = commandHandlerFor(store, options());
    await add(handler, 'failed', { item: 'a', by: 1 });
    // Another writer takes version 2 behind this handler's back; its cached state is at 1.
    await store.append('failed', 1, [{ id: crypto.randomUUID(), type: 'Added', schemaVersion: 1, data: { item: 'b', by: 10 }, occurredAt: '2026-11-24T00:00:00Z' }],
      { partitionKey: 'failed', metadata });
    await add(handler, 'failed', { item: 'a', by: 1 });
    expect((await handler.load('failed')).state).toEqual(await replay(store, 'failed'));
    expect((await handler.load('failed')).state.count).toBe(12);
  });

  it('saves snapshots every N events; a cold replica loads snapshot + tail and equals a full replay', async () => {
    const warm = commandHandlerFor(store, options());
    for (let i = 0; i < 27; i++) await add(warm, 'snap', { item: `i${i % 4}`, by: i + 1 });
    await warm.flush();
    const { rows: [snapshot] } = await db.pool.query('SELECT stream_version, state FROM snapshots WHERE stream_id = $1', ['snap']);
    expect(snapshot.stream_version).toBe(20);
    const cold = commandHandlerFor(store, options());
    const loaded = await cold.load('snap');
    expect(loaded.version).toBe(27);
    expect(loaded.state).toEqual(await replay(store, 'snap'));
  });

  it('ignores snapshots of another schema version (a changed evolve) and rebuilds from the events', async () => {
    // A snapshot that a different fold would have produced: schema 1 says count 999.
    await db.pool.query(`INSERT INTO snapshots (stream_id, kind, schema_version, stream_version, state) VALUES ('schema', 'tally', 1, 1, '{"count":999,"items":{}}')`);
    await store.append('schema', 'no_stream', [{ id: crypto.randomUUID(), type: 'Added', schemaVersion: 1, data: { item: 'a', by: 2 }, occurredAt: '2026-11-24T00:00:00Z' }],
      { partitionKey: 'schema', metadata });
    const bumped = commandHandlerFor(store, options({ snapshots: { schemaVersion: 2, everyEvents: 10 } }));
    expect((await bumped.load('schema')).state.count).toBe(2);
    expect((await commandHandlerFor(store, options()).load('schema')).state.count).toBe(999);
  });

  it('writes id lookups and the day-close schedule in the append, and nothing for a refused command', async () => {
    const handler = commandHandlerFor(store, options());
    await add(handler, 'indexed', { item: 'apple', by: 1 });
    expect(await store.streamOwning('item', 'apple')).toBe('indexed');
    const due = () => db.pool.query(`SELECT due_on::text FROM stream_schedule WHERE stream_id = 'indexed'`).then((r) => r.rows.map((x) => x.due_on));
    expect(await due()).toEqual(['2026-12-31']);
    await expect(add(handler, 'indexed', { item: 'pear', by: 0 })).rejects.toMatchObject({ code: 'not-positive', kind: 'invalid' });
    expect(await store.streamOwning('item', 'pear')).toBeUndefined();
    await add(handler, 'indexed', { item: 'pear', by: 4 });
    expect(await store.streamOwning('item', 'pear')).toBe('indexed');
    expect(await due()).toEqual([]);
  });

  it('never lets a schedule computed from an older state overwrite one from a newer state', async () => {
    const due = async () => (await db.pool.query(`SELECT due_on::text, stream_version FROM stream_schedule WHERE stream_id = 'raced'`)).rows;
    const at = (version: number, dueOn: string | null) =>
      writeSchedule(db.pool, { streamId: 'raced', partitionKey: 'raced', category: 'tally', dueOn, version });
    await at(5, '2026-03-01');
    await at(3, '2026-01-01');
    expect(await due()).toEqual([{ due_on: '2026-03-01', stream_version: 5 }]);
    await at(4, null);
    expect(await due()).toHaveLength(1);
    await at(6, '2026-04-01');
    expect(await due()).toEqual([{ due_on: '2026-04-01', stream_version: 6 }]);
    await at(6, null);
    expect(await due()).toEqual([]);
  });

  it('claims a unique id for one stream only, also when streams race for it; a released id can be claimed again', async () => {
    // Items are unique here: the state before tells which item a stream held (released on change).
    const handler = commandHandlerFor(store, options({
      lookups: undefined, schedule: undefined, snapshots: undefined,
      uniqueLookups: {
        of: (before, events) => ({
          claims: events.map((e) => ({ kind: 'unique-item', id: e.data.item })),
          releases: Object.keys(before.items).filter((i) => !events.some((e) => e.data.item === i)).map((id) => ({ kind: 'unique-item', id })),
        }),
        taken: (claim, owner) => domainError('taken', 'conflict', `${claim.id} is ${owner}'s`, 'item', { owner }),
      },
    }));
    const streams = Array.from({ length: 8 }, (_, i) => `unique-${i}-${Date.now()}`);
    const results = await Promise.allSettled(streams.map((s) => add(handler, s, { item: 'gold', by: 1 })));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const winner = streams[results.findIndex((r) => r.status === 'fulfilled')];
    for (const r of results.filter((x) => x.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'taken', details: { owner: winner } });
    }
    const counts = await Promise.all(streams.map(async (s) => (await store.readStream(s)).length));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    // The winner moves to another item: gold is free again for a loser.
    await add(handler, winner, { item: 'silver', by: 1 });
    const loser = streams.find((s) => s !== winner)!;
    await add(handler, loser, { item: 'gold', by: 1 });
    await expect(add(handler, loser, { item: 'silver', by: 1 })).rejects.toMatchObject({ code: 'taken' });
  });
});
