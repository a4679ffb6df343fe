import { Pool, PoolClient } from 'pg';

/** Anything that can run a query: the pool, or a client inside a caller's transaction. */
export type Queryable = Pick<Pool | PoolClient, 'query'>;

/** Runs `work` in one transaction on a dedicated client; rolls back on any error. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // PostgreSQL dropping the connection while `work` awaits something else (a policy's command on
  // another connection) makes the checked-out client emit 'error'; pg-pool listens only to idle
  // clients, so unheard it ended the process (the fault test's PostgreSQL stop killed services
  // so). Heard here, the next query fails instead and the client is destroyed, not reused.
  let lost: Error | undefined;
  const onError = (error: Error) => { lost = error; };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.off('error', onError);
    client.release(lost);
  }
}
