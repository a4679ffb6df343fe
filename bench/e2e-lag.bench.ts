import { inParallel, jsonHeaders, openLoop, percentiles, round, ServiceStack } from './service-stack';

/** Each payment: 100.00 CNY, on time, so loyalty earns 100 points and credit's exposure drops by 10,000 minor units. */
const PAYMENT = 10_000;
const POINTS_PER_PAYMENT = 100;
const INVOICE = 1_000_000_000;
const ISSUED_ON = '2026-11-01';
const PAID_ON = '2026-11-15';

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
}

/** A customer's accepted payments so far and when each answered 2xx (in answer order). */
interface Account { id: string; accepted: number[]; seenLoyalty: number; seenCredit: number }

/**
 * Registered customers (the real customers service) with one large invoice each at
 * receivables, known to credit and engagement through Kafka: the accounts payments go to.
 */
export async function prepareAccounts(stack: ServiceStack, count: number): Promise<Account[]> {
  const sales = await jsonHeaders('sales');
  const ids: string[] = [];
  await inParallel(Array.from({ length: count }, (_, i) => i), 8, async (i) => {
    const response = await fetch(`${stack.get('customers').url}/v1/customers`, { method: 'POST', headers: sales,
      body: JSON.stringify({ kind: 'company', legalName: `Lag Co ${i}`, region: 'East', tags: ['bench'] }) });
    if (response.status !== 201) throw new Error(`registration answered ${response.status}: ${await response.text()}`);
    ids.push(((await response.json()) as { id: string }).id);
  });
  const invoice = (customerId: string) => fetch(`${stack.get('receivables').url}/v1/invoices`, { method: 'POST', headers: sales, body: JSON.stringify({
    customerId, currency: 'CNY', issueDate: ISSUED_ON, lines: [{ description: 'Tea', quantity: 1, unitPrice: INVOICE }], terms: { type: 'net', days: 30 } }) });
  // Receivables learns of customers from customers' events: wait for the last one.
  const last = ids[ids.length - 1];
  const deadline = Date.now() + 120_000;
  for (let first = await invoice(last); first.status !== 201; first = await invoice(last)) {
    if (Date.now() > deadline) throw new Error(`invoice answered ${first.status}: ${await first.text()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await inParallel(ids.slice(0, -1), 8, async (id) => {
    const response = await invoice(id);
    if (response.status !== 201) throw new Error(`invoice answered ${response.status}: ${await response.text()}`);
  });
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
 * that reads the two read models every 5 ms for the accounts with a payment not yet seen:
 * lag is the time from a payment's 2xx to the first read that shows it (≤ 5 ms late).
 */
export async function benchE2eLag(stack: ServiceStack, accounts: Account[], rate: number, seconds: number): Promise<LagFigures> {
  const collector = await jsonHeaders('collector');
  const lags = { loyalty: [] as number[], credit: [] as number[] };
  const pending = new Set<Account>();
  let sending = true;
  let lastAccepted = performance.now();
  const watcher = (async () => {
    while (sending || pending.size > 0) {
      await new Promise((r) => setTimeout(r, 5));
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
        throw new Error(`payments not visible in the read models 120 s after the last one: ${JSON.stringify(stuck)}`);
      }
    }
  })();
  const rssMb: Record<string, number> = {};
  const sampleRss = () => {
    for (const name of stack.services.keys()) rssMb[name] = Math.max(rssMb[name] ?? 0, stack.rssNowMb(name));
  };
  const sampler = setInterval(sampleRss, 500);
  const url = `${stack.get('receivables').url}/v1/payments`;
  let payments = 0;
  const accept = await openLoop(rate, seconds, async (i) => {
    const account = accounts[i % accounts.length];
    const response = await fetch(url, { method: 'POST', headers: collector, body: JSON.stringify({
      customerId: account.id, amount: PAYMENT, currency: 'CNY', receivedOn: PAID_ON, method: 'bank_transfer', reference: `L-${i}` }) });
    await response.arrayBuffer();
    if (response.status !== 201) throw new Error(`payment answered ${response.status}`);
    lastAccepted = performance.now();
    account.accepted.push(lastAccepted);
    pending.add(account);
    payments++;
  });
  sending = false;
  await watcher.finally(() => clearInterval(sampler));
  sampleRss();
  return { ratePerSecond: rate, seconds, payments, loyalty: percentiles(lags.loyalty), credit: percentiles(lags.credit), accept: percentiles(accept), rssMb };
}

async function waitUntil(probe: () => Promise<boolean>, what: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export { round };
