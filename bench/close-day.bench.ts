import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@crm/eventing';
import { freshDatabase, kafkaBrokers, pollUntil, startService, TEST_AUTH_SECRET, tokenFor } from '@crm/testing';
import { accountHandler, issueInvoice } from './command-latency.bench';

export interface CloseDayFigures {
  accounts: number; due: number; loadSeconds: number;
  plainCommandsSeconds: number; closeDaySeconds: number; closeDayVsCommands: number;
}

const metadata = { actor: { id: 'bench', roles: ['credit_manager'] }, correlationId: 'bench', causationId: 'bench' };
const CLOSE_ON = '2026-02-10';

async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

/**
 * `accounts` accounts with an invoice each; `2 × due` of them past due by CLOSE_ON. First
 * `due` plain CloseDay commands on one half (a fresh handler, as a replica would run them),
 * then the service's own day close (POST → policy → completed) finds the other half among all.
 */
export async function benchCloseDay(accounts: number, due: number): Promise<CloseDayFigures> {
  const db = await freshDatabase({ poolSize: 20 });
  const prefix = `bench-${randomUUID().slice(0, 8)}.`;
  const env = { DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers().join(','),
    KAFKA_TOPIC_PREFIX: prefix, AUTH_DEV_SECRET: TEST_AUTH_SECRET, CLOSE_DAY_WAIT_MS: '0', LOG_LEVEL: 'error' };
  // Started once for its migrations, then stopped: the accounts load without the relay and
  // read models competing for the two cores.
  await (await startService('receivables', env)).stop();
  let service: Awaited<ReturnType<typeof startService>> | undefined;
  try {
    const store = new PostgresEventStore(db.pool);
    const loader = accountHandler(store);
    const customers = Array.from({ length: accounts }, (_, i) => ({ id: randomUUID(), pastDue: i < 2 * due }));
    let started = Date.now();
    await inParallel(customers, 32, (c) => loader.execute({
      streamId: `account-${c.id}`, partitionKey: c.id, command: issueInvoice(c.id, c.pastDue ? '2026-01-01' : '2026-06-01'),
      metadata, now: '2026-01-01T00:00:00.000Z', respond: () => null,
    }));
    const loadSeconds = (Date.now() - started) / 1000;
    service = await startService('receivables', env);
    // Steady state before measuring: the relay has published the load and the read model holds it.
    await pollUntil(async () => (await db.pool.query(
      `SELECT (SELECT max(global_position) FROM events) <= (SELECT max(global_position) FROM relay_checkpoints)
          AND (SELECT count(*) FROM receivable_invoices) = $1 AS caught_up`, [accounts])).rows[0].caught_up,
    { what: 'relay and read model caught up', timeoutMs: 900_000, intervalMs: 1000 });

    const plain = accountHandler(store);
    started = Date.now();
    for (const c of customers.slice(0, due)) {
      await plain.execute({ streamId: `account-${c.id}`, partitionKey: c.id, command: { type: 'CloseDay', data: { businessDate: CLOSE_ON } },
        metadata, now: '2026-02-10T00:00:00.000Z', respond: () => null });
    }
    const plainCommandsSeconds = (Date.now() - started) / 1000;

    const headers = { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('credit_manager')}` };
    const url = service.url;
    started = Date.now();
    const post = await fetch(`${url}/v1/operations/close-day`, { method: 'POST', headers, body: JSON.stringify({ businessDate: CLOSE_ON }) });
    if (post.status >= 300) throw new Error(`close-day answered ${post.status}: ${await post.text()}`);
    const run = await pollUntil<any>(async () => {
      const body: any = await (await fetch(`${url}/v1/operations/close-day/${CLOSE_ON}`, { headers })).json();
      return body.status === 'completed' ? body : undefined;
    }, { what: 'day close completed', timeoutMs: 600_000, intervalMs: 20 });
    const closeDaySeconds = (Date.now() - started) / 1000;
    if (run.accountsDue !== due) throw new Error(`the close found ${run.accountsDue} accounts due, expected ${due}`);
    const round = (x: number) => Math.round(x * 100) / 100;
    return { accounts, due, loadSeconds: round(loadSeconds), plainCommandsSeconds: round(plainCommandsSeconds),
      closeDaySeconds: round(closeDaySeconds), closeDayVsCommands: round(closeDaySeconds / plainCommandsSeconds) };
  } finally {
    await service?.stop();
    await db.drop();
  }
}
