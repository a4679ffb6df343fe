import { cpuByProcess } from './process-cpu';
import { jsonHeaders, openLoop, percentiles, postJson, RequestErrors, round, ServiceName, ServiceStack } from './service-stack';

export interface CommandLoadFigures {
  command: string; service: ServiceName; ratePerSecond: number;
  /** Requests answered as expected (their latencies are the percentiles), and the others by what went wrong. */
  requests: number; errors: Record<string, number>;
  p50Ms: number; p99Ms: number; maxMs: number;
  /** CPU milliseconds per request, by process: where a request's cost goes. */
  cpuMsPerRequest: { service: number; postgres: number; kafka: number; otherServices: number; loadDriver: number };
}

interface CommandCase { command: string; service: ServiceName; role: string; path: string; body: (i: number) => unknown }

/**
 * One command at a fixed rate against its service's compiled build (open loop, keep-alive
 * connections, the other three services running and consuming its events).
 */
async function measure(stack: ServiceStack, c: CommandCase, rate: number, seconds: number, warmUp: number): Promise<CommandLoadFigures> {
  const headers = await jsonHeaders(c.role);
  const url = `${stack.get(c.service).url}${c.path}`;
  const warmUpErrors = new RequestErrors();
  for (let i = 0; i < warmUp; i += 10) {
    await Promise.all(Array.from({ length: 10 }, (_, n) => postJson(url, headers, c.body(-1 - i - n), { errors: warmUpErrors })));
  }
  const others = [...stack.services.keys()].filter((n) => n !== c.service);
  const before = { service: stack.cpuSeconds(c.service), others: others.map((n) => stack.cpuSeconds(n)), machine: cpuByProcess(stack.databases()) };
  const errors = new RequestErrors();
  const latencies = await openLoop(rate, seconds, async (i) => (await postJson(url, headers, c.body(i), { errors })) !== undefined);
  stack.assertRunning(`${c.command} at ${rate}/s`);
  const after = { service: stack.cpuSeconds(c.service), others: others.map((n) => stack.cpuSeconds(n)), machine: cpuByProcess(stack.databases()) };
  const sent = latencies.length + errors.total;
  const perRequest = (seconds: number) => round((seconds * 1000) / sent);
  return {
    command: c.command, service: c.service, ratePerSecond: rate, requests: latencies.length, errors: errors.toJSON(), ...percentiles(latencies),
    cpuMsPerRequest: {
      service: perRequest(after.service - before.service),
      // The backends of the four services' databases (pooled connections live through the run).
      postgres: perRequest(after.machine.postgres - before.machine.postgres),
      kafka: perRequest(after.machine.kafka - before.machine.kafka),
      otherServices: perRequest(after.others.reduce((n, x) => n + x, 0) - before.others.reduce((n, x) => n + x, 0)),
      loadDriver: perRequest(after.machine.node - before.machine.node),
    },
  };
}

/** A registration, an invoice and a payment, each at `rate`/s for `seconds`. */
export async function benchCommandLoad(stack: ServiceStack, customerIds: string[], rate: number, seconds: number,
  warmUp = 200): Promise<CommandLoadFigures[]> {
  const customer = (i: number) => customerIds[Math.abs(i) % customerIds.length];
  const cases: CommandCase[] = [
    { command: 'RegisterCustomer', service: 'customers', role: 'sales', path: '/v1/customers',
      body: (i) => ({ kind: 'company', legalName: `Load Co ${i}`, region: 'East', tags: ['bench'] }) },
    { command: 'IssueInvoice', service: 'receivables', role: 'sales', path: '/v1/invoices',
      body: (i) => ({ customerId: customer(i), currency: 'CNY', issueDate: '2026-11-20', lines: [{ description: 'Tea', quantity: 2, unitPrice: 5_000 }],
        terms: { type: 'net', days: 30 } }) },
    { command: 'ReceivePayment', service: 'receivables', role: 'collector', path: '/v1/payments',
      body: (i) => ({ customerId: customer(i), amount: 1_000, currency: 'CNY', receivedOn: '2026-11-21', method: 'bank_transfer', reference: `C-${i}` }) },
  ];
  const figures: CommandLoadFigures[] = [];
  for (const c of cases) {
    figures.push(await measure(stack, c, rate, seconds, warmUp));
    // Let the consumers drain this command's events before the next one is measured.
    await new Promise((r) => setTimeout(r, Math.min(2_000, seconds * 500)));
  }
  return figures;
}
