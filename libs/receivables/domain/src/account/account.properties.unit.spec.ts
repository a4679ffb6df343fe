import fc from 'fast-check';
import { addDays, DomainError } from '@crm/contracts';
import { envelopeOf } from '@crm/testing';
import { agingTotals } from '../read-models/collection-reports';
import { customerStatement } from '../read-models/customer-statement';
import { evolveUnappliedPayment, UnappliedPaymentDoc, unappliedPaymentKeys } from '../read-models/unapplied-payment.read-model';
import { evolveReceivableInvoice, invoiceAsOf, ReceivableInvoiceDoc, receivableInvoiceKeys } from '../read-models/receivable-invoice.read-model';
import { accountDecider, AccountCommand } from './account.decider';
import { AccountEvent } from './account.events';
import { nextAccountTransition } from './account.index';
import { AccountState, outstanding } from './account.state';
import { CUSTOMER, noCreditLimits } from './account.fixtures';

const date = (day: number) => new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
const uuid = (n: number, prefix: string) => `${prefix}${String(n).padStart(7, '0')}-0000-4000-8000-000000000000`;

/** An invoice, a payment nothing matches, then a person applying part of the money to that invoice (or an earlier one). */
const laterAllocationArb = (i: number): fc.Arbitrary<AccountCommand[]> =>
  fc.record({ amount: fc.integer({ min: 1, max: 300_000 }), total: fc.integer({ min: 1, max: 300_000 }), earlier: fc.integer({ min: 0, max: 40 }),
    same: fc.boolean(), part: fc.integer({ min: 1, max: 300_000 }), day: fc.integer({ min: 0, max: 300 }) })
    .map(({ amount, total, earlier, same, part, day }) => [
      { type: 'IssueInvoice', context: noCreditLimits, data: { invoiceId: uuid(i, 'a'), number: `N${i}`, customerId: CUSTOMER, currency: 'CNY',
        issueDate: date(day), lines: [{ description: 'x', quantity: 1, unitPrice: total }], terms: { type: 'net', days: 30 } } },
      { type: 'ReceivePayment', data: { paymentId: uuid(i, 'b'), customerId: CUSTOMER, amount, currency: 'CNY', method: 'cash', reference: 'r',
        receivedOn: date(day), remittance: 'no reference' }, context: { customerKnown: true } },
      { type: 'AllocatePayment', data: { paymentId: uuid(i, 'b'), allocations: [{ invoiceId: uuid(same ? i : earlier, 'a'), amount: Math.min(part, amount, total) }],
        allocatedOn: '2026-07-01' } },
    ]);

/** Random commands: invoices, payments (named, automatic, by remittance, applied later), credit notes, refunds, reversals, day closes. */
const commandArb = (i: number): fc.Arbitrary<AccountCommand | AccountCommand[]> => fc.oneof(
  laterAllocationArb(i),
  fc.record({ amount: fc.integer({ min: 1, max: 1_000_000 }), day: fc.integer({ min: 0, max: 200 }), days: fc.integer({ min: 0, max: 90 }) })
    .map(({ amount, day, days }) => ({ type: 'IssueInvoice', context: noCreditLimits, data: {
      invoiceId: uuid(i, 'a'), number: `N${i}`, customerId: CUSTOMER, currency: 'CNY',
      issueDate: new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10),
      lines: [{ description: 'x', quantity: 1, unitPrice: amount }], terms: { type: 'net', days },
      earlyPaymentDiscount: amount % 2 === 0 ? { percent: 2, withinDays: 10 } : undefined,
    } }) as AccountCommand),
  fc.record({ amount: fc.integer({ min: 1, max: 1_500_000 }), day: fc.integer({ min: 0, max: 300 }), target: fc.integer({ min: 0, max: 40 }),
    how: fc.constantFrom('named', 'automatic', 'remittance'), other: fc.integer({ min: 0, max: 40 }) })
    .map(({ amount, day, target, how, other }) => ({ type: 'ReceivePayment', data: {
      paymentId: uuid(i, 'b'), customerId: CUSTOMER, amount, currency: 'CNY', method: 'cash', reference: 'r',
      receivedOn: new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10),
      allocations: how === 'named' ? [{ invoiceId: uuid(target, 'a'), amount }] : undefined,
      remittance: how === 'remittance' ? `N${target}, n ${other} less 2%` : undefined,
    }, context: { customerKnown: true } }) as AccountCommand),
  fc.record({ payment: fc.integer({ min: 0, max: 40 }), target: fc.integer({ min: 0, max: 40 }), amount: fc.integer({ min: 1, max: 20_000 }) })
    .map(({ payment, target, amount }) => ({ type: 'AllocatePayment', data: { paymentId: uuid(payment, 'b'), allocations: [{ invoiceId: uuid(target, 'a'), amount }],
      allocatedOn: '2026-07-01' } }) as AccountCommand),
  fc.integer({ min: 1, max: 800_000 }).map((amount) => ({ type: 'RefundCreditBalance', data: { refundId: uuid(i, 'e'), customerId: CUSTOMER, amount,
    currency: 'CNY', reference: 'refund', refundedOn: '2026-07-02' } }) as AccountCommand),
  fc.boolean().map((autoApplyCredit) => ({ type: 'SetReceivablesPolicy', data: { customerId: CUSTOMER, autoApplyCredit, changedOn: '2026-03-01' },
    context: { customerKnown: true } }) as AccountCommand),
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
    const envelope = envelopeOf(e, { id: String(n), subject: CUSTOMER });
    for (const key of receivableInvoiceKeys(envelope)) docs.set(key, evolveReceivableInvoice(docs.get(key) ?? undefined, envelope, key));
  });
  return [...docs.values()].filter((d): d is ReceivableInvoiceDoc => d !== null);
}

const commandsArb = fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => commandArb(i))))
  .map((commands) => commands.flat());

const sum = (values: number[]) => values.reduce((n, v) => n + v, 0);

describe('receivables properties (fast-check)', () => {
  it('never loses or creates money: invoiced − payments − credits − write-offs = open balance − credit balance', () => {
    fc.assert(fc.property(commandsArb, (commands) => {
      const { state, history } = run(commands);
      const of = <T extends AccountEvent['type']>(type: T) => history.filter((e): e is Extract<AccountEvent, { type: T }> => e.type === type);
      const invoiced = sum(of('InvoiceIssued').map((e) => e.data.total));
      const allocationsOf = (e: { data: { allocations: Array<{ amount: number; discount: number; kind: string }> } }, kind: string) =>
        sum(e.data.allocations.filter((a) => a.kind === kind).map((a) => a.amount));
      const discounts = sum([...of('PaymentReceived'), ...of('PaymentAllocated')].flatMap((e) => e.data.allocations.map((a) => a.discount)))
        - sum(of('PaymentReversed').flatMap((e) => e.data.allocations.map((a) => a.discount)));
      // Money kept: received, less what bounced and what was paid back; recoveries reinstate written-off debt.
      const payments = sum(of('PaymentReceived').map((e) => e.data.amount))
        - sum(of('PaymentReversed').map((e) => allocationsOf(e, 'payment') + allocationsOf(e, 'recovery') + e.data.unapplied))
        - sum(of('CreditBalanceRefunded').map((e) => e.data.amount));
      const recovered = sum([...of('PaymentReceived'), ...of('PaymentAllocated')].map((e) => allocationsOf(e, 'recovery'))) - sum(of('PaymentReversed').map((e) => allocationsOf(e, 'recovery')));
      const credits = sum(of('CreditNoteIssued').map((e) => e.data.amount)) + discounts;
      const writeOffs = sum(of('WriteOffApproved').map((e) => e.data.amount)) - recovered;
      const open = sum(Object.values(state.invoices).map(outstanding));
      const creditBalance = state.unapplied.CNY ?? 0;
      expect(invoiced - payments - credits - writeOffs).toBe(open - creditBalance);
      expect(creditBalance).toBeGreaterThanOrEqual(0);
      // The balance is exactly its sources: what payments hold unapplied and credit notes put there.
      expect(sum(Object.values(state.credits).map((c) => c.amount))).toBe(creditBalance);
      expect(sum(Object.values(state.payments).filter((p) => !p.reversed).map((p) => p.unapplied))
        + sum(Object.values(state.credits).filter((c) => c.kind === 'credit-note').map((c) => c.amount))).toBe(creditBalance);
      // The statement says the same: closing balance = open balance − credit balance.
      const [cny] = customerStatement(history, '2026-01-01', '9999-12-31');
      if (cny) expect([cny.closingBalance, cny.creditBalance, cny.openBalance]).toEqual([open - creditBalance, creditBalance, open]);
    }), { numRuns: 400 });
  });

  it('the unmatched read model holds what each payment has unapplied in the write model', () => {
    fc.assert(fc.property(commandsArb, (commands) => {
      const { state, history } = run(commands);
      const docs = new Map<string, UnappliedPaymentDoc | null>();
      history.forEach((e, n) => {
        const envelope = envelopeOf(e, { id: String(n), subject: CUSTOMER });
        for (const key of unappliedPaymentKeys(envelope)) docs.set(key, evolveUnappliedPayment(docs.get(key) ?? undefined, envelope, key));
      });
      for (const [paymentId, payment] of Object.entries(state.payments)) {
        expect([paymentId, docs.get(paymentId)?.unapplied]).toEqual([paymentId, payment.reversed ? 0 : payment.unapplied]);
      }
    }), { numRuns: 300 });
  });

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
