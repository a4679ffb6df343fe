import { Pool, PoolClient } from 'pg';

/** Anything that can run a query: the pool, or a client inside a caller's transaction. */
export type Queryable = Pick<Pool | PoolClient, 'query'>;

/** Runs `work` in one transaction on a dedicated client; rolls back on any error. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
