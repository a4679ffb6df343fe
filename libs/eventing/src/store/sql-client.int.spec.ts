import { freshEventingDatabase, TestDatabase } from '@crm/testing';
import { inTransaction } from './sql-client';

describe('inTransaction when PostgreSQL drops the connection (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await freshEventingDatabase(); });
  afterAll(async () => { await db.drop(); });

  it('fails the transaction instead of ending the process when the backend is terminated between queries', async () => {
    // jest swallows the unhandled 'error' event a service process dies of: what must hold is
    // that the checked-out client has a listener for it, so the drop surfaces as a failed query.
    let heard = 0;
    const attempt = inTransaction(db.pool, async (tx) => {
      heard = tx.listenerCount('error');
      const { rows: [row] } = await tx.query('SELECT pg_backend_pid() AS pid');
      // As a server shutdown does, while the transaction awaits other work.
      await db.pool.query('SELECT pg_terminate_backend($1)', [row.pid]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await tx.query('SELECT 1');
    });
    await expect(attempt).rejects.toThrow();
    expect(heard).toBeGreaterThan(0);
    // The pool still serves: the broken client was destroyed, not handed out again.
    expect((await db.pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
  });
});
