import { Decider } from '@crm/contracts';
import { freshEventingDatabase, TestDatabase } from '@crm/testing';
import { handleCommand } from './command-handling';
import { PostgresEventStore } from './postgres-event-store';

type Counter = { count: number };
type Add = { type: 'Add'; data: { by: number } };
type Added = { type: 'Added'; schemaVersion: 1; data: { by: number } };
const counter: Decider<Counter, Add, Added> = {
  initialState: () => ({ count: 0 }),
  decide: (c) => [{ type: 'Added', schemaVersion: 1, data: { by: c.data.by } }],
  evolve: (s, e) => ({ count: s.count + e.data.by }),
};
const metadata = { actor: { id: 'u', roles: ['admin'] }, correlationId: 'c', causationId: 'c' };

describe('command handling (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await freshEventingDatabase({ poolSize: 20 });
    store = new PostgresEventStore(db.pool);
  });
  afterAll(() => db.drop());

  const run = (streamId: string, key: string | undefined, request: unknown = { by: 1 }) => handleCommand({
    store, decider: counter, streamId, partitionKey: streamId, command: { type: 'Add', data: { by: 1 } }, metadata,
    now: '2026-11-24T00:00:00Z', idempotency: key ? { scope: 'Add', key, request } : undefined,
    respond: (_events, version) => ({ version }),
  });

  it('answers concurrent twins of one Idempotency-Key with the first response and appends once', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => run('twins', 'key-1')));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(await store.readStream('twins')).toHaveLength(1);
  });

  it('loses no update when concurrent commands race without If-Match: each is retried on fresh state', async () => {
    await Promise.all(Array.from({ length: 20 }, () => run('racers', undefined)));
    const events = await store.readStream('racers');
    expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});
