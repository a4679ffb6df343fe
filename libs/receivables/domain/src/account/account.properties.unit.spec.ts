import fc from 'fast-check';
import { addDays, DomainError, EventEnvelope } from '@crm/contracts';
import { agingTotals } from '../read-models/collection-reports';
import { evolveReceivableInvoice, invoiceAsOf, ReceivableInvoiceDoc, receivableInvoiceKeys } from '../read-models/receivable-invoice.read-model';
import { accountDecider, AccountCommand } from './account.decider';
import { AccountEvent } from './account.events';
import { nextAccountTransition } from './account.index';
import { AccountState, outstanding } from './account.state';
import { CUSTOMER, noCreditLimits } from './account.fixtures';

const date = (day: number) => new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
const uuid = (n: number, prefix: string) => `${prefix}${String(n).padStart(7, '0')}-0000-4000-8000-000000000000`;

/** Random commands: invoices, payments (named or automatic), credit notes, reversals, day closes. */
const commandArb = (i: number): fc.Arbitrary<AccountCommand> => fc.oneof(
  fc.record({ amount: fc.integer({ min: 1, max: 1_000_000 }), day: fc.integer({ min: 0, max: 200 }), days: fc.integer({ min: 0, max: 90 }) })
    .map(({ amount, day, days }) => ({ type: 'IssueInvoice', context: noCreditLimits, data: {
      invoiceId: uuid(i, 'a'), number: `N${i}`, customerId: CUSTOMER, currency: 'CNY',
      issueDate: new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10),
      lines: [{ description: 'x', quantity: 1, unitPrice: amount }], terms: { type: 'net', days },
      earlyPaymentDiscount: amount % 2 === 0 ? { percent: 2, withinDays: 10 } : undefined,
    } }) as AccountCommand),
  fc.record({ amount: fc.integer({ min: 1, max: 1_500_000 }), day: fc.integer({ min: 0, max: 300 }), target: fc.integer({ min: 0, max: 40 }), named: fc.boolean() })
    .map(({ amount, day, target, named }) => ({ type: 'ReceivePayment', data: {
      paymentId: uuid(i, 'b'), customerId: CUSTOMER, amount, currency: 'CNY', method: 'cash', reference: 'r',
      receivedOn: new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10),
      allocations: named ? [{ invoiceId: uuid(target, 'a'), amount }] : undefined,
    }, context: { customerKnown: true } }) as AccountCommand),
  fc.record({ amount: fc.integer({ min: 1, max: 500_000 }), target: fc.integer({ min: 0, max: 40 }) })
    .map(({ amount, target }) => ({ type: 'IssueCreditNote', data: { creditNoteId: uuid(i, 'c'), invoiceId: uuid(target, 'a'), amount, reason: 'r', issuedOn: '2026-06-01' } }) as AccountCommand),
  fc.integer({ min: 0, max: 40 }).map((target) => ({ type: 'ReversePayment', data: { paymentId: uuid(target, 'b'), today: '2026-06-01' } }) as AccountCommand),
  fc.integer({ min: 0, max: 400 }).map((day) => ({ type: 'CloseDay', data: { businessDate: date(day) } }) as AccountCommand),
  fc.record({ target: fc.integer({ min: 0, max: 40 }), day: fc.integer({ min: 0, max: 300 }), amount: fc.integer({ min: 1, max: 500_000 }) })
    .map(({ target, day, amount }) => ({ type: 'RecordPromiseToPay', data: { invoiceId: uuid(target, 'a'), promisedDate: date(day), amount, recordedOn: date(day) } }) as AccountCommand),
  fc.record({ target: fc.integer({ min: 0, max: 40 }), open: fc.boolean() })
    .map(({ target, open }) => (open
      ? { type: 'OpenDispute', data: { invoiceId: uuid(target, 'a'), reason: 'r', openedOn: '2026-03-01' } }
      : { type: 'ResolveDispute', data: { invoiceId: uuid(target, 'a'), resolution: 'r', resolvedOn: '2026-03-02' } }) as AccountCommand),
  fc.integer({ min: 0, max: 40 }).chain((target) => fc.constantFrom(
    { type: 'RequestWriteOff', data: { requestId: uuid(target, 'd'), invoiceId: uuid(target, 'a'), reason: 'r', requestedBy: 'u1', requestedOn: '2026-06-01' } } as AccountCommand,
    { type: 'ApproveWriteOff', data: { requestId: uuid(target, 'd'), decidedBy: 'u2', decidedOn: '2026-06-02' } } as AccountCommand)),
);

/** Runs the commands; refused ones (a business rule said no) change nothing, as in the service. */
function run(commands: AccountCommand[]): { state: AccountState; history: AccountEvent[] } {
  const history: AccountEvent[] = [];
  const state = commands.reduce((current, command) => {
    let events: AccountEvent[] = [];
    try {
      events = accountDecider.decide(command, current);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
    history.push(...events);
    return events.reduce(accountDecider.evolve, current);
  }, accountDecider.initialState());
  return { state, history };
}

/** The collection read model, folded from the same events the service publishes. */
function readModel(history: AccountEvent[]): ReceivableInvoiceDoc[] {
  const docs = new Map<string, ReceivableInvoiceDoc | null>();
  history.forEach((e, n) => {
    const envelope = { ...e, id: String(n), subject: CUSTOMER } as unknown as EventEnvelope;
    for (const key of receivableInvoiceKeys(envelope)) docs.set(key, evolveReceivableInvoice(docs.get(key) ?? undefined, envelope, key));
  });
  return [...docs.values()].filter((d): d is ReceivableInvoiceDoc => d !== null);
}

const commandsArb = fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => commandArb(i))));

describe('receivables properties (fast-check)', () => {
  it('no sequence of invoices, payments, credit notes and reversals makes an outstanding amount negative', () => {
    fc.assert(fc.property(commandsArb, (commands) => {
      const { state } = run(commands);
      for (const invoice of Object.values(state.invoices)) {
        expect(outstanding(invoice)).toBeGreaterThanOrEqual(0);
        expect(outstanding(invoice)).toBeLessThanOrEqual(invoice.total);
      }
      for (const unapplied of Object.values(state.unapplied)) expect(unapplied).toBeGreaterThanOrEqual(0);
    }), { numRuns: 300 });
  });

  it('aging buckets of the read model always sum to the total outstanding of the write model', () => {
    fc.assert(fc.property(commandsArb, fc.integer({ min: 0, max: 500 }), (commands, day) => {
      const { state, history } = run(commands);
      const docs = readModel(history);
      // Far enough in the future that every dated change counts: read model = write model.
      const now = docs.map((d) => invoiceAsOf(d, '2100-01-01')!);
      const writeTotal = Object.values(state.invoices).reduce((n, i) => n + outstanding(i), 0);
      expect(now.reduce((n, v) => n + v.outstanding, 0)).toBe(writeTotal);
      expect(agingTotals(now).reduce((n, c) => n + c.total, 0)).toBe(writeTotal);
      // At any past date, the buckets still partition that date's outstanding exactly.
      const asOf = new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
      const then = docs.map((d) => invoiceAsOf(d, asOf)).filter((v) => v !== null);
      const aging = agingTotals(then);
      expect(aging.reduce((n, c) => n + Object.values(c.buckets).reduce((a, b) => a + b, 0), 0))
        .toBe(then.reduce((n, v) => n + Math.max(0, v.outstanding), 0));
    }), { numRuns: 300 });
  });

  it('the day-close schedule names the first date whose close records something for the account', () => {
    fc.assert(fc.property(commandsArb, fc.integer({ min: 0, max: 500 }), (commands, day) => {
      const { state } = run(commands);
      const next = nextAccountTransition(state);
      const probe = date(day);
      // Deciding on a snapshot of the state: closeDay must not change what it reads.
      const closing = (businessDate: string) => accountDecider.decide({ type: 'CloseDay', data: { businessDate } }, structuredClone(state));
      if (next === null || probe < next) expect(closing(probe)).toEqual([]);
      // Exact, not merely early: the day before it closes with nothing, the day itself with something.
      if (next !== null) expect(closing(addDays(next, -1))).toEqual([]);
      if (next !== null) expect(closing(next).length).toBeGreaterThan(0);
    }), { numRuns: 500 });
  });

  it('a snapshot taken anywhere, stored as JSON and folded on, equals the full replay', () => {
    fc.assert(fc.property(commandsArb, fc.nat(), (commands, at) => {
      const { history } = run(commands);
      const cut = history.length === 0 ? 0 : at % (history.length + 1);
      const fold = (events: AccountEvent[], from = accountDecider.initialState()) => events.reduce(accountDecider.evolve, from);
      const snapshot = JSON.parse(JSON.stringify(fold(history.slice(0, cut)))) as AccountState;
      expect(fold(history.slice(cut), snapshot)).toEqual(JSON.parse(JSON.stringify(fold(history))));
    }), { numRuns: 300 });
  });
});
