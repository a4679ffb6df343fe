import { randomUUID } from 'node:crypto';
import { inParallel, jsonHeaders, openLoop, percentiles, postJson, RequestErrors, round, ServiceStack } from './service-stack';

/** Each payment: 100.00 CNY, on time, so loyalty earns 100 points and credit's exposure drops by 10,000 minor units. */
const PAYMENT = 10_000;
const POINTS_PER_PAYMENT = 100;
const INVOICE = 1_000_000_000;
const ISSUED_ON = '2026-11-01';
const PAID_ON = '2026-11-15';
/**
 * 20 ms: fine beside a 250 ms target. At 5 ms the watcher's own two queries (≈ 0.8 ms each over
 * the pending accounts' documents) ran ~150 times a second each: a quarter of a core of the
 * PostgreSQL the measured services share.
 */
const WATCH_INTERVAL_MS = 20;

export interface LagFigures {
  ratePerSecond: number; seconds: number; payments: number;
  /** From the payment's 2xx to its points in engagement's loyalty read model. */
  loyalty: { p50Ms: number; p99Ms: number; maxMs: number };
  /** From the payment's 2xx to the lower exposure in credit's position read model. */
  credit: { p50Ms: number; p99Ms: number; maxMs: number };
  /** The payment command itself, from its scheduled send (open loop). */
  accept: { p50Ms: number; p99Ms: number; maxMs: number };
  /** Largest RSS of each service during this rate (MB). */
  rssMb: Record<string, number>;
  /** Payments that failed, by what went wrong; accepted payments not seen in a read model when the watch gave up. */
  errors: Record<string, number>;
  unseen: { loyalty: number; credit: number };
  /**
   * The oldest transaction holding a transaction id anywhere on the PostgreSQL server, at its
   * worst during this rate (s): relays publish only below the server-wide snapshot xmin, so
   * another tenant's long transaction holds every service's events back (noise on a shared server).
   */
  oldestOpenTransactionSeconds: number;
}

/** A customer's accepted payments so far and when each answered 2xx (in answer order). */
interface Account { id: string; accepted: number[]; seenLoyalty: number; seenCredit: number }

/**
 * Registered customers (the real customers service) with one large invoice each at
 * receivables, known to credit and engagement through Kafka: the accounts payments go to.
 */
export async function prepareAccounts(stack: ServiceStack, count: number, errors = new RequestErrors()): Promise<Account[]> {
  const sales = await jsonHeaders('sales');
  const ids: string[] = [];
  // Setup requests are retried after a connection failure under their Idempotency-Key: a failure here would void the run.
  const retried = { errors, attempts: 3 };
  await inParallel(Array.from({ length: count }, (_, i) => i), 8, async (i) => {
    const registered = await postJson(`${stack.get('customers').url}/v1/customers`, sales,
      { kind: 'company', legalName: `Lag Co ${i}`, region: 'East', tags: ['bench'] }, { ...retried, idempotencyKey: randomUUID() });
    if (registered) ids.push((registered as { id: string }).id);
  });
  stack.assertRunning('the registrations');
  if (ids.length < count) throw new Error(`only ${ids.length} of ${count} registrations succeeded: ${JSON.stringify(errors)}`);
  const invoice = (customerId: string, expectation: RequestErrors = errors) => postJson(`${stack.get('receivables').url}/v1/invoices`, sales, {
    customerId, currency: 'CNY', issueDate: ISSUED_ON, lines: [{ description: 'Tea', quantity: 1, unitPrice: INVOICE }], terms: { type: 'net', days: 30 } },
  { ...retried, errors: expectation, idempotencyKey: randomUUID() });
  // Receivables learns of customers from customers' events: wait for the last one (its refusals until then are expected).
  const last = ids[ids.length - 1];
  const deadline = Date.now() + 120_000;
  const waiting = new RequestErrors();
  while (!(await invoice(last, waiting))) {
    if (Date.now() > deadline) throw new Error(`receivables never took an invoice for the last customer: ${JSON.stringify(waiting)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await inParallel(ids.slice(0, -1), 8, async (id) => {
    if (!(await invoice(id))) throw new Error(`an invoice failed: ${JSON.stringify(errors)}`);
  });
  stack.assertRunning('the invoices');
  const accounts = ids.map((id) => ({ id, accepted: [], seenLoyalty: 0, seenCredit: 0 }));
  // Steady state: every invoice in credit's exposure, every customer in the loyalty model.
  await waitUntil(async () => {
    const [credit, loyalty] = await Promise.all([
      stack.get('credit').db.pool.query(`SELECT count(*)::int AS n FROM credit_positions WHERE (doc->'exposure'->>'CNY')::bigint = $1`, [INVOICE]),
      stack.get('engagement').db.pool.query('SELECT count(*)::int AS n FROM loyalty_members'),
    ]);
    return credit.rows[0].n === count && loyalty.rows[0].n === count;
  }, 'credit and engagement caught up with the invoices', 300_000);
  return accounts;
}

/**
 * Payments at `rate`/s for `seconds` (open loop, accounts in turn), and meanwhile a watcher
 * that reads the two read models every WATCH_INTERVAL_MS for the accounts with a payment not yet
 * seen: lag is the time from a payment's 2xx to the first read that shows it (≤ 20 ms late).
 */
export async function benchE2eLag(stack: ServiceStack, accounts: Account[], rate: number, seconds: number): Promise<LagFigures> {
  const collector = await jsonHeaders('collector');
  const errors = new RequestErrors();
  const lags = { loyalty: [] as number[], credit: [] as number[] };
  let gaveUp = false;
  const pending = new Set<Account>();
  let sending = true;
  let lastAccepted = performance.now();
  const watcher = (async () => {
    while (sending || pending.size > 0) {
      await new Promise((r) => setTimeout(r, WATCH_INTERVAL_MS));
      if (pending.size === 0) continue;
      const batch = [...pending];
      const ids = batch.map((a) => a.id);
      const [loyalty, credit] = await Promise.all([
        stack.get('engagement').db.pool.query(`SELECT id, (doc->>'points')::bigint AS points FROM loyalty_members WHERE id = ANY($1)`, [ids]),
        stack.get('credit').db.pool.query(`SELECT id, (doc->'exposure'->>'CNY')::bigint AS exposure FROM credit_positions WHERE id = ANY($1)`, [ids]),
      ]);
      const now = performance.now();
      const byId = new Map(batch.map((a) => [a.id, a]));
      for (const row of loyalty.rows) {
        const account = byId.get(row.id)!;
        const paid = Math.min(account.accepted.length, Math.floor(Number(row.points) / POINTS_PER_PAYMENT));
        for (; account.seenLoyalty < paid; account.seenLoyalty++) lags.loyalty.push(now - account.accepted[account.seenLoyalty]);
      }
      for (const row of credit.rows) {
        const account = byId.get(row.id)!;
        const paid = Math.min(account.accepted.length, Math.floor((INVOICE - Number(row.exposure)) / PAYMENT));
        for (; account.seenCredit < paid; account.seenCredit++) lags.credit.push(now - account.accepted[account.seenCredit]);
      }
      for (const a of batch) if (a.seenLoyalty === a.accepted.length && a.seenCredit === a.accepted.length) pending.delete(a);
      if (!sending && performance.now() - lastAccepted > 120_000) {
        const stuck = batch.slice(0, 3).map((a) => ({ id: a.id, accepted: a.accepted.length, loyalty: a.seenLoyalty, credit: a.seenCredit,
          points: loyalty.rows.find((r) => r.id === a.id)?.points, exposure: credit.rows.find((r) => r.id === a.id)?.exposure }));
        console.error(`payments not visible in the read models 120 s after the last one (counted as unseen): ${JSON.stringify(stuck)}`);
        gaveUp = true;
        return;
      }
    }
  })();
  const rssMb: Record<string, number> = {};
  let oldestOpenTransactionSeconds = 0;
  const sampleRss = () => {
    for (const name of stack.services.keys()) rssMb[name] = Math.max(rssMb[name] ?? 0, stack.rssNowMb(name));
    void stack.get('credit').db.pool.query(`SELECT coalesce(extract(epoch FROM max(clock_timestamp() - xact_start)), 0)::float8 AS s
        FROM pg_stat_activity WHERE backend_xid IS NOT NULL`)
      .then(({ rows }) => (oldestOpenTransactionSeconds = Math.max(oldestOpenTransactionSeconds, rows[0].s)), () => undefined);
  };
  const sampler = setInterval(sampleRss, 500);
  const url = `${stack.get('receivables').url}/v1/payments`;
  let payments = 0;
  const accept = await openLoop(rate, seconds, async (i) => {
    const account = accounts[i % accounts.length];
    const paid = await postJson(url, collector, {
      customerId: account.id, amount: PAYMENT, currency: 'CNY', receivedOn: PAID_ON, method: 'bank_transfer', reference: `L-${rate}-${i}` }, { errors });
    if (!paid) return false;
    lastAccepted = performance.now();
    account.accepted.push(lastAccepted);
    pending.add(account);
    payments++;
    return true;
  });
  sending = false;
  await watcher.finally(() => clearInterval(sampler));
  sampleRss();
  stack.assertRunning(`payments at ${rate}/s`);
  const unseen = { loyalty: 0, credit: 0 };
  if (gaveUp) {
    for (const a of pending) {
      unseen.loyalty += a.accepted.length - a.seenLoyalty;
      unseen.credit += a.accepted.length - a.seenCredit;
    }
  }
  return { ratePerSecond: rate, seconds, payments, loyalty: percentiles(lags.loyalty), credit: percentiles(lags.credit), accept: percentiles(accept), rssMb,
    errors: errors.toJSON(), unseen, oldestOpenTransactionSeconds: round(oldestOpenTransactionSeconds) };
}

async function waitUntil(probe: () => Promise<boolean>, what: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export { round };
