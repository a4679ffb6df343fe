import { randomUUID } from 'node:crypto';
import { addDays } from '@crm/contracts';
import { Pool } from 'pg';
import { commandHandlerFor, NewEvent, PostgresEventStore } from '@crm/eventing';
import { accountDecider, AccountCommand, AccountEvent } from '@crm/receivables-domain';
import { accountHandlerOptions } from '../apps/receivables/src/account/account-commands';

const metadata = { actor: { id: 'bench', roles: ['sales'] }, correlationId: 'bench', causationId: 'bench' };
const context = { customerKnown: true, onCreditHold: false, creditLimit: { amount: Number.MAX_SAFE_INTEGER, currency: 'CNY' } };

export interface LatencyFigures { events: number; p50Ms: number; p99Ms: number; coldLoadMs: number; coldLoadWithSnapshotMs: number }

/** The handler as receivables configures it (snapshots, lookups, schedule). */
export const accountHandler = (store: PostgresEventStore) => commandHandlerFor(store, accountHandlerOptions);

export function issueInvoice(customerId: string, issueDate: string, days = 30): AccountCommand {
  return { type: 'IssueInvoice', context, data: {
    invoiceId: randomUUID(), number: `B-${randomUUID().slice(0, 8)}`, customerId, currency: 'CNY', issueDate,
    lines: [{ description: 'Tea', quantity: 1, unitPrice: 10_000 }], terms: { type: 'net', days },
  } };
}

/**
 * A long-standing customer's history from the real decider: invoices, each paid in full a
 * little later, so the account holds many settled invoices and a few open ones.
 */
function history(customerId: string, events: number): AccountEvent[] {
  const state = accountDecider.initialState();
  const out: AccountEvent[] = [];
  const apply = (command: AccountCommand) => {
    for (const e of accountDecider.decide(command, state)) {
      accountDecider.evolve(state, e);
      out.push(e);
    }
  };
  for (let i = 0; out.length < events; i++) {
    const day = addDays('2020-01-01', Math.floor(i / 4));
    const invoice = issueInvoice(customerId, day);
    apply(invoice);
    if (out.length >= events) break;
    const invoiceId = (invoice.data as { invoiceId: string }).invoiceId;
    apply({ type: 'ReceivePayment', context: { customerKnown: true }, data: {
      paymentId: randomUUID(), customerId, amount: 10_000, currency: 'CNY', receivedOn: addDays(day, 20), method: 'bank', reference: 'r',
      allocations: [{ invoiceId, amount: 10_000 }] } });
  }
  return out;
}

/** Appends a history through the real store, in chunks (a bulk path; the events are the decider's). */
async function load(store: PostgresEventStore, customerId: string, events: AccountEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    const chunk: NewEvent<any>[] = events.slice(i, i + 500).map((e) => ({ ...e, id: randomUUID(), occurredAt: '2026-01-01T00:00:00.000Z' }));
    await store.append(`account-${customerId}`, i, chunk, { partitionKey: customerId, metadata });
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

/** p50/p99 of IssueInvoice on one account whose stream holds `length` events before the run. */
export async function benchCommandLatency(databaseUrl: string, length: number, commands: number): Promise<LatencyFigures> {
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  const store = new PostgresEventStore(pool);
  const customerId = randomUUID();
  await load(store, customerId, history(customerId, length));
  const stream = `account-${customerId}`;

  // A replica that has never seen the account: full replay, then (snapshot written) snapshot + tail.
  const cold = accountHandler(store);
  let started = process.hrtime.bigint();
  await cold.load(stream);
  const coldLoadMs = ms(started);
  await cold.flush();
  started = process.hrtime.bigint();
  await accountHandler(store).load(stream);
  const coldLoadWithSnapshotMs = ms(started);

  const handler = accountHandler(store);
  const run = async () => {
    const t = process.hrtime.bigint();
    await handler.execute({ streamId: stream, partitionKey: customerId, command: issueInvoice(customerId, '2026-06-01'), metadata,
      now: '2026-06-01T00:00:00.000Z', respond: () => null });
    return ms(t);
  };
  for (let i = 0; i < 30; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < commands; i++) samples.push(await run());
  await handler.flush();
  await pool.end();
  samples.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return { events: length, p50Ms: round(percentile(samples, 0.5)), p99Ms: round(percentile(samples, 0.99)),
    coldLoadMs: round(coldLoadMs), coldLoadWithSnapshotMs: round(coldLoadWithSnapshotMs) };
}
