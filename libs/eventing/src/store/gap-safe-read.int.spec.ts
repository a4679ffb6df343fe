import { randomUUID } from 'node:crypto';
import { freshEventingDatabase as freshDatabase, pollUntil, TestDatabase } from '@crm/testing';
import { LOG_START, LogPosition, NewEvent, RecordedEvent } from './event-store.types';
import { PostgresEventStore } from './postgres-event-store';
import { WrongExpectedVersionError } from './event-store.errors';

const metadata = { actor: { id: 'u1', roles: ['admin'] }, correlationId: 'c', causationId: 'c' };
const event = (): NewEvent => ({ id: randomUUID(), type: 'Noted', schemaVersion: 1, data: {}, occurredAt: '2026-11-24T00:00:00Z' });

describe('reading the log in commit-safe order (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await freshDatabase();
    store = new PostgresEventStore(db.pool);
  });
  afterAll(() => db.drop());

  // xmin is cluster-wide: another spec's open transaction may hold readers back for a moment,
  // so wait for exactly the events a step expects, not for any event of the stream.
  const readUntil = (after: LogPosition, streamId: string, version = 1) => pollUntil(async () => {
    const events: RecordedEvent[] = await store.readAll(after, 1000);
    return events.some((e) => e.streamId === streamId && e.streamVersion >= version) ? events : undefined;
  }, { what: `${streamId} version ${version} to become readable` });
  const readUntilSeen = (after: LogPosition, streamId: string) => readUntil(after, streamId);

  it('neither skips nor reorders a transaction that took its position first but commits last', async () => {
    const early = await db.pool.connect();
    const late = await db.pool.connect();
    try {
      await early.query('BEGIN');
      await store.append('early', 'no_stream', [event()], { partitionKey: 'k', metadata }, early);
      await late.query('BEGIN');
      await store.append('late', 'no_stream', [event()], { partitionKey: 'k', metadata }, late);
      await late.query('COMMIT');

      // "late" is committed and has the higher position, but "early" is still in flight.
      const whileOpen = await store.readAll(LOG_START, 100);
      expect(whileOpen).toEqual([]);

      await early.query('COMMIT');
      const after = await readUntilSeen(LOG_START, 'late');
      expect(after.map((e) => e.streamId)).toEqual(['early', 'late']);
      expect(Number(after[0].globalPosition)).toBeLessThan(Number(after[1].globalPosition));
    } finally {
      early.release();
      late.release();
    }
  });

  it('refuses an append from a transaction older than the one that wrote the stream head (stream order = commit order)', async () => {
    const older = await db.pool.connect();
    try {
      await older.query('BEGIN');
      await older.query('SELECT pg_current_xact_id()'); // this transaction now holds the older id
      await store.append('ordered', 'no_stream', [event()], { partitionKey: 'k', metadata });
      await expect(store.append('ordered', 1, [event()], { partitionKey: 'k', metadata }, older))
        .rejects.toBeInstanceOf(WrongExpectedVersionError);
      await older.query('ROLLBACK');
      await store.append('ordered', 1, [event()], { partitionKey: 'k', metadata });
      const versions = (await readUntil(LOG_START, 'ordered', 2)).filter((e) => e.streamId === 'ordered').map((e) => e.streamVersion);
      expect(versions).toEqual([1, 2]);
    } finally {
      older.release();
    }
  });

  it('passes the gap a rolled-back append leaves', async () => {
    // Everything the earlier tests appended, the last being version 2 of 'ordered'.
    const start = await readUntil(LOG_START, 'ordered', 2);
    const checkpoint = start[start.length - 1];
    const client = await db.pool.connect();
    await client.query('BEGIN');
    await store.append('rolled-back', 'no_stream', [event()], { partitionKey: 'k', metadata }, client);
    await client.query('ROLLBACK');
    client.release();
    await store.append('after-gap', 'no_stream', [event()], { partitionKey: 'k', metadata });

    const next = await readUntilSeen(checkpoint, 'after-gap');
    expect(next.map((e) => e.streamId)).toEqual(['after-gap']);
    expect((await store.readAll(LOG_START, 1000)).map((e) => e.streamId)).not.toContain('rolled-back');
  });

  it('resumes from a checkpoint taken while a lower transaction was open', async () => {
    const open = await db.pool.connect();
    await open.query('BEGIN');
    await store.append('slow', 'no_stream', [event()], { partitionKey: 'k', metadata }, open);
    await store.append('fast', 'no_stream', [event()], { partitionKey: 'k', metadata });
    const before = await store.readAll(LOG_START, 1000);
    const checkpoint = before[before.length - 1] ?? LOG_START;
    expect(before.map((e) => e.streamId)).not.toContain('fast');
    await open.query('COMMIT');
    open.release();
    const rest = await readUntilSeen(checkpoint, 'fast');
    expect(rest.map((e) => e.streamId).filter((s) => s === 'slow' || s === 'fast')).toEqual(['slow', 'fast']);
  });
});
