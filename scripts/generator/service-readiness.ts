import { Pool } from 'pg';
import { SERVICES, ServiceName } from './service-writers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** PostgreSQL refusing a new connection (too many clients, starting up, not listening): nothing was sent. */
export function isConnectionRefusal(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === '53300' || code === '57P03' || code === 'ECONNREFUSED';
}

/** Runs `fn` again, with a back-off, while the database refuses connections (a busy shared server). */
export async function whileRefused<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isConnectionRefusal(error) || attempt >= attempts) throw error;
      await sleep(100 * 2 ** attempt);
    }
  }
}

async function poll(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let interval = 10; ; interval = Math.min(100, interval * 2)) {
    if (await whileRefused(probe)) return;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs / 1000} s waiting for ${what}: are the services running (npm run stack)?`);
    await sleep(interval);
  }
}

/** Every service's database holds its event store (the services have started and migrated). */
export async function assertServicesInstalled(pools: Record<ServiceName, Pool>): Promise<void> {
  for (const service of SERVICES) {
    const { rows } = await pools[service].query(`SELECT to_regclass('public.events') IS NOT NULL AS events, to_regclass('public.day_close_runs') IS NOT NULL AS runs`)
      .catch((error) => { throw new Error(`${service}'s database does not answer (${error.message}): start the stack first (npm run stack)`); });
    if (!rows[0].events || !rows[0].runs) throw new Error(`${service}'s database has no event store yet: start the stack first (npm run stack)`);
  }
}

/** Until receivables' and engagement's copies of customers' events hold these customers. */
export async function waitUntilKnown(pools: Record<ServiceName, Pool>, customerIds: string[], timeoutMs = 300_000): Promise<void> {
  const tables: Array<[ServiceName, string]> = [['receivables', 'known_customers'], ['engagement', 'customer_directory']];
  for (const [service, table] of tables) {
    for (let i = 0; i < customerIds.length; i += 10_000) {
      const ids = customerIds.slice(i, i + 10_000);
      await poll(`${service} to learn of ${ids.length} new customers`, timeoutMs, async () => {
        const { rows } = await pools[service].query(`SELECT count(*)::int AS n FROM ${table} WHERE id = ANY($1::text[])`, [ids]);
        return rows[0].n === ids.length;
      });
    }
  }
}

/** Until each service's day-close policy has run the close of `date` to its end. */
export async function waitForCloseRuns(pools: Record<ServiceName, Pool>, date: string, timeoutMs = 600_000): Promise<void> {
  await Promise.all(SERVICES.map((service) => poll(`${service}'s close of ${date}`, timeoutMs, async () => {
    const { rows } = await pools[service].query(`SELECT status FROM day_close_runs WHERE business_date = $1`, [date]);
    return rows.length > 0 && rows[0].status !== 'running';
  })));
}

/** Events each service has written that its relay has not published yet. */
export async function unpublished(pool: Pool): Promise<number> {
  // Counted up to a bound: near the end of a run that is all the progress line needs.
  const { rows } = await pool.query(
    `SELECT count(*)::int AS n FROM (
       SELECT 1 FROM events
        WHERE (transaction_id, global_position) > coalesce(
          (SELECT (transaction_id, global_position) FROM relay_checkpoints ORDER BY transaction_id DESC, global_position DESC LIMIT 1),
          ('0'::xid8, 0::bigint))
        LIMIT 100000) unpublished`);
  return rows[0].n;
}

/** Until every relay has published everything its service has written. */
export async function waitForRelays(pools: Record<ServiceName, Pool>, timeoutMs = 600_000): Promise<void> {
  await Promise.all(SERVICES.map((service) => poll(`${service}'s relay to publish`, timeoutMs, async () => (await unpublished(pools[service])) === 0)));
}
