import { randomUUID } from 'node:crypto';
import { freshEventingDatabase as freshDatabase, TestDatabase } from '@crm/testing';
import { EventMetadata } from '@crm/contracts';
import { PostgresEventStore } from './postgres-event-store';
import { IdempotencyKeyReusedError, WrongExpectedVersionError } from './event-store.errors';
import { NewEvent } from './event-store.types';
import { UpcasterRegistry } from '../upcasting/upcaster-registry';
import { verifyStream } from '../integrity/verify-stream';

const metadata: EventMetadata = { actor: { id: 'u1', roles: ['sales'] }, correlationId: 'c1', causationId: 'c1' };
const event = (type = 'Noted', data: Record<string, unknown> = { n: 1 }): NewEvent =>
  ({ id: randomUUID(), type, schemaVersion: 1, data, occurredAt: '2026-11-24T10:00:00.000Z' });
const opts = { partitionKey: 'cust-1', metadata };

describe('PostgresEventStore (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await freshDatabase({ poolSize: 20 });
    store = new PostgresEventStore(db.pool);
  });
  afterAll(() => db.drop());

  it('lets exactly one of many concurrent appends at the same expected version win', async () => {
    const stream = `s-${randomUUID()}`;
    await store.append(stream, 'no_stream', [event()], opts);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => store.append(stream, 1, [event()], opts)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(9);
    rejected.forEach((r) => expect(r.reason).toBeInstanceOf(WrongExpectedVersionError));
    expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it('refuses "no stream" on an existing stream and "stream exists" on a missing one', async () => {
    const stream = `s-${randomUUID()}`;
    await expect(store.append(stream, 'stream_exists', [event()], opts)).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await store.append(stream, 'no_stream', [event()], opts);
    await expect(store.append(stream, 'no_stream', [event()], opts)).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await store.append(stream, 'stream_exists', [event()], opts);
    expect(await store.readStream(stream)).toHaveLength(2);
  });

  it('adds nothing when the same event ids are appended again', async () => {
    const stream = `s-${randomUUID()}`;
    const events = [event(), event()];
    const first = await store.append(stream, 'no_stream', events, opts);
    const again = await store.append(stream, 'no_stream', events, opts);
    expect(first.appended).toBe(true);
    expect(again).toEqual({ ...first, appended: false });
    expect(await store.readStream(stream)).toHaveLength(2);
  });

  it('stores an idempotency record with the append and refuses the key for another request', async () => {
    const stream = `s-${randomUUID()}`;
    const idem = { scope: 'test', key: randomUUID(), requestHash: 'h1', response: { id: stream } };
    await store.append(stream, 'no_stream', [event()], { ...opts, idempotency: idem });
    expect(await store.findIdempotentResponse('test', idem.key, 'h1')).toEqual({ id: stream });
    await expect(store.findIdempotentResponse('test', idem.key, 'other')).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('upcasts an old schema version on read, in one place', async () => {
    const stream = `s-${randomUUID()}`;
    await store.append(stream, 'no_stream', [{ ...event('Renamed', { name: 'Acme' }), schemaVersion: 1 }], opts);
    const upcasting = new PostgresEventStore(db.pool, new UpcasterRegistry([
      { type: 'Renamed', fromVersion: 1, upcast: (d) => ({ legalName: d.name }) },
      { type: 'Renamed', fromVersion: 2, upcast: (d) => ({ ...d, tags: [] }) },
    ]));
    const [read] = await upcasting.readStream(stream);
    expect(read.schemaVersion).toBe(3);
    expect(read.data).toEqual({ legalName: 'Acme', tags: [] });
  });

  it('keeps a hash chain that reports the first altered event', async () => {
    const stream = `s-${randomUUID()}`;
    await store.append(stream, 'no_stream', [event(), event(), event()], opts);
    expect(await verifyStream(db.pool, stream)).toEqual({ streamId: stream, events: 3, valid: true });
    await db.pool.query(`UPDATE events SET data = '{"n": 999}' WHERE stream_id = $1 AND stream_version = 2`, [stream]);
    expect(await verifyStream(db.pool, stream)).toMatchObject({ valid: false, firstAlteredVersion: 2 });
  });
});
