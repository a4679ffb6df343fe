import { EventEnvelope } from '@crm/contracts';
import { freshEventingDatabase, TestDatabase } from '@crm/testing';
import { DocumentProjection, projectionTableDdl } from './document-projection';
import { DocumentProjectionHandler } from './document-projection-handler';

/** Per key, how many events of each source it has seen. */
const counter = (topics: string[]): DocumentProjection<Record<string, number>> => ({
  name: 'per-source', table: 'per_source', topics, keyOf: (e) => e.subject,
  evolve: (doc, e) => ({ ...doc, [e.source]: (doc?.[e.source] ?? 0) + 1 }),
});

const counted = (source: string): EventEnvelope => ({
  id: `${source}-1`, type: 'Counted', schemaVersion: 1, source, subject: 'k-1', time: '2026-11-24T00:00:00.000Z', streamId: source, streamVersion: 1,
  data: {}, metadata: { actor: { id: 'u', roles: [] }, correlationId: 'c', causationId: 'c' },
});

describe('document projection handler (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshEventingDatabase();
  });
  afterAll(async () => db.drop());

  /**
   * A key fed by two topics arrives on two partitions, which a rebuild reads in concurrent
   * transactions: the second must read the document after the first commits, not before.
   */
  async function overlapping(projection: DocumentProjection): Promise<Record<string, number>> {
    await db.pool.query(`DROP TABLE IF EXISTS per_source; ${projectionTableDdl(projection, 'per_source')}`);
    const handler = new DocumentProjectionHandler(projection);
    const [first, second] = [await db.pool.connect(), await db.pool.connect()];
    try {
      await first.query('BEGIN');
      await second.query('BEGIN');
      await handler.handle([counted('topic-a')], { tx: first, mode: 'rebuild', tables: {} });
      const later = handler.handle([counted('topic-b')], { tx: second, mode: 'rebuild', tables: {} }).then(() => second.query('COMMIT'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await first.query('COMMIT');
      await later;
    } finally {
      first.release();
      second.release();
    }
    return (await db.pool.query(`SELECT doc FROM per_source WHERE id = 'k-1'`)).rows[0].doc;
  }

  it('keeps both topics\' events of a key when two transactions touch it at once', async () =>
    expect(await overlapping(counter(['topic-a', 'topic-b']))).toEqual({ 'topic-a': 1, 'topic-b': 1 }));
});
