import { Pool, PoolClient } from 'pg';

/**
 * pg-pool listens for errors only on idle clients. A checked-out client whose connection
 * PostgreSQL ends (a server stop, a failover, `pg_terminate_backend`) while its holder awaits
 * something else — the relay's advisory-lock connection, a rebuild's snapshot, a LISTEN — emits
 * an 'error' nobody hears, and Node ends the process on it (the fault test's 10 s PostgreSQL
 * stop killed a receivables and an engagement replica so). Every client of a guarded pool gets
 * a listener the first time it is handed out: the error is logged, the client's next query
 * fails, and pg-pool destroys the client on release instead of reusing it.
 */
export function guardCheckedOutClients(pool: Pool, onError: (error: Error) => void): Pool {
  if (guarded.has(pool)) return pool;
  guarded.add(pool);
  const heard = new WeakSet<PoolClient>();
  pool.on('acquire', (client: PoolClient) => {
    if (heard.has(client)) return;
    heard.add(client);
    client.on('error', onError);
  });
  return pool;
}

const guarded = new WeakSet<Pool>();
