import { DomainError } from '@crm/contracts';
import { deciderSpec } from '@crm/testing';
import { accountDecider, AccountCommand } from '../account/account.decider';
import { event } from '../account/account.events';
import { periodsConcerned } from '../account/account-periods';
import { CUSTOMER, INV_A, INV_B, issue, issued, PAY_1 } from '../account/account.fixtures';
import { accountingPeriodsDecider } from './accounting-periods.decider';
import { invoiceNumber, invoiceSeries } from './invoice-numbering';
import { PeriodContext } from './period-gate';

const spec = deciderSpec(accountDecider);
const closedJanuary: PeriodContext = { closed: ['2026-01'], lateEntryAllowed: false };
const adminJanuary: PeriodContext = { closed: ['2026-01'], lateEntryAllowed: true };
const state = (history: ReturnType<typeof issued>[]) => history.reduce(accountDecider.evolve, accountDecider.initialState());
function refusal(history: ReturnType<typeof issued>[], command: AccountCommand): DomainError {
  try {
    accountDecider.decide(command, state(history));
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const paid = event('PaymentReceived', { paymentId: PAY_1, customerId: CUSTOMER, amount: 400, currency: 'CNY', receivedOn: '2026-01-20', method: 'cash', reference: 'x',
  allocations: [{ invoiceId: INV_A, amount: 400, discount: 0, kind: 'payment' }], unapplied: 0 });
const pay = (periods?: PeriodContext, lateEntryReason?: string): AccountCommand => ({ type: 'ReceivePayment', periods, context: { customerKnown: true },
  data: { paymentId: PAY_1, customerId: CUSTOMER, amount: 400, currency: 'CNY', receivedOn: '2026-01-20', method: 'cash', reference: 'x', lateEntryReason } });
const creditNote = (periods?: PeriodContext, lateEntryReason?: string): AccountCommand => ({ type: 'IssueCreditNote', periods,
  data: { creditNoteId: PAY_1, invoiceId: INV_A, amount: 100, reason: 'damaged', issuedOn: '2026-01-25', lateEntryReason } });
const reverse = (periods?: PeriodContext, reversedOn?: string, lateEntryReason?: string): AccountCommand => ({ type: 'ReversePayment', periods,
  data: { paymentId: PAY_1, reversedOn, today: '2026-02-03', lateEntryReason } });
/** 300 of a January payment left unapplied: a later allocation and a refund, both dated the request's day (January here). */
const unappliedPaid = event('PaymentReceived', { paymentId: PAY_1, customerId: CUSTOMER, amount: 700, currency: 'CNY', receivedOn: '2026-01-20', method: 'cash', reference: 'x',
  allocations: [{ invoiceId: INV_A, amount: 400, discount: 0, kind: 'payment' }], unapplied: 300 });
const allocate = (periods?: PeriodContext, lateEntryReason?: string): AccountCommand => ({ type: 'AllocatePayment', periods,
  data: { paymentId: PAY_1, allocations: [{ invoiceId: INV_A, amount: 200 }], allocatedOn: '2026-01-28', lateEntryReason } });
const refund = (periods?: PeriodContext, lateEntryReason?: string): AccountCommand => ({ type: 'RefundCreditBalance', periods, context: { customerKnown: true },
  data: { refundId: PAY_1, customerId: CUSTOMER, amount: 300, currency: 'CNY', reference: 'R-1', refundedOn: '2026-01-29', lateEntryReason } });

describe('closed periods', () => {
  it('refuses each kind of entry dated in a closed period, naming its date field and the period', () => {
    const withNumber = (c: ReturnType<typeof issue>) => ({ ...c, data: { ...c.data, number: 'INV-2026-000001' }, periods: closedJanuary });
    const cases: Array<[ReturnType<typeof issued>[], AccountCommand, string]> = [
      [[], withNumber(issue({ issueDate: '2026-01-31' })), 'issueDate'],
      [[issued(INV_A, 1_000)], pay(closedJanuary), 'receivedOn'],
      [[issued(INV_A, 1_000)], creditNote(closedJanuary), 'issuedOn'],
      [[issued(INV_A, 1_000), paid], reverse(closedJanuary, '2026-01-31'), 'reversedOn'],
      [[issued(INV_A, 1_000), unappliedPaid], allocate(closedJanuary), 'allocatedOn'],
      [[issued(INV_A, 1_000), unappliedPaid], refund(closedJanuary), 'refundedOn'],
    ];
    for (const [history, command, field] of cases) {
      const error = refusal(history, command);
      expect([error.code, error.kind, error.field, error.details]).toEqual(['period-closed', 'refused', field, { period: '2026-01' }]);
    }
  });

  it('accepts entries dated in an open period, and records no late entry for them', () => {
    spec.given([]).when({ ...issue({ issueDate: '2026-02-01', number: 'INV-2026-000001' }), periods: closedJanuary })
      .then(([e]) => expect(e.data).not.toHaveProperty('lateEntry'));
    // A reversal without a date is dated today (2026-02-03), which is open.
    spec.given([issued(INV_A, 1_000), paid]).when(reverse(closedJanuary)).then(([e]) => expect(e.data).toMatchObject({ reversedOn: '2026-02-03' }));
  });

  it('lets an admin enter late with a reason, recorded on the event; refuses others who try', () => {
    spec.given([issued(INV_A, 1_000)]).when(pay(adminJanuary, 'bank statement arrived late'))
      .then(([e]) => expect(e.data).toMatchObject({ receivedOn: '2026-01-20', lateEntry: { period: '2026-01', reason: 'bank statement arrived late' } }));
    spec.given([issued(INV_A, 1_000)]).when(creditNote(adminJanuary, 'audit adjustment'))
      .then(([e]) => expect(e.data).toEqual(expect.objectContaining({ lateEntry: { period: '2026-01', reason: 'audit adjustment' } })));
    spec.given([issued(INV_A, 1_000)]).when(pay(adminJanuary, 'x')).then(([e]) => expect(e.data).not.toHaveProperty('lateEntryReason'));
    const error = refusal([issued(INV_A, 1_000)], pay(closedJanuary, 'I am sure'));
    expect([error.code, error.kind, error.field]).toEqual(['late-entry-not-allowed', 'forbidden', 'lateEntryReason']);
    expect(refusal([issued(INV_A, 1_000)], pay(adminJanuary)).code).toBe('period-closed');
    // Later allocations and refunds, dated the request's day, the same way.
    spec.given([issued(INV_A, 1_000), unappliedPaid]).when(allocate(adminJanuary, 'remittance advice found'))
      .then(([e]) => expect([e.type, e.data]).toEqual(['PaymentAllocated', expect.objectContaining({ allocatedOn: '2026-01-28', unapplied: 100, lateEntry: { period: '2026-01', reason: 'remittance advice found' } })]));
    spec.given([issued(INV_A, 1_000), unappliedPaid]).when(refund(adminJanuary, 'cheque dated January'))
      .then(([e]) => expect([e.type, e.data]).toEqual(['CreditBalanceRefunded', expect.objectContaining({ refundedOn: '2026-01-29', lateEntry: { period: '2026-01', reason: 'cheque dated January' } })]));
    spec.given([issued(INV_A, 1_000), unappliedPaid]).when(refund(adminJanuary, 'x')).then(([e]) => expect(e.data).not.toHaveProperty('lateEntryReason'));
    expect(refusal([issued(INV_A, 1_000), unappliedPaid], allocate(closedJanuary, 'please')).code).toBe('late-entry-not-allowed');
    spec.given([issued(INV_A, 1_000), unappliedPaid]).when(allocate({ closed: ['2025-12'], lateEntryAllowed: false }))
      .then(([e]) => expect(e.data).not.toHaveProperty('lateEntry'));
  });

  it('never applies credit balance in a closed period: the balance waits for a change in an open one', () => {
    const on = event('ReceivablesPolicyChanged', { customerId: CUSTOMER, version: 1, autoApplyCredit: true, changedOn: '2026-01-02' });
    const open = [issued(INV_A, 1_000), issued(INV_B, 500)];
    const latePay: AccountCommand = { type: 'ReceivePayment', periods: adminJanuary, context: { customerKnown: true },
      data: { paymentId: PAY_1, customerId: CUSTOMER, amount: 1_200, currency: 'CNY', receivedOn: '2026-01-20', method: 'cash', reference: 'x',
        allocations: [{ invoiceId: INV_A, amount: 1_000 }], lateEntryReason: 'bank statement late' } };
    spec.given([...open, on]).when(latePay).then((events) => expect(events.map((e) => e.type)).toEqual(['PaymentReceived']));
    spec.given([...open, on]).when({ ...latePay, periods: { closed: [], lateEntryAllowed: true } })
      .then((events) => expect(events.map((e) => e.type)).toEqual(['PaymentReceived', 'CreditBalanceApplied']));
    const credit = [...open, unappliedPaid];
    const switchOn = (periods: PeriodContext): AccountCommand => ({ type: 'SetReceivablesPolicy', periods, context: { customerKnown: true },
      data: { customerId: CUSTOMER, autoApplyCredit: true, changedOn: '2026-01-30' } });
    spec.given(credit).when(switchOn(closedJanuary)).then((events) => expect(events.map((e) => e.type)).toEqual(['ReceivablesPolicyChanged']));
    spec.given(credit).when(switchOn({ closed: [], lateEntryAllowed: false })).then((events) => expect(events.map((e) => e.type)).toEqual(['ReceivablesPolicyChanged', 'CreditBalanceApplied']));
    const disputed = event('InvoiceDisputed', { invoiceId: INV_B, customerId: CUSTOMER, reason: 'quality', openedOn: '2026-01-02' });
    const resolve = (periods: PeriodContext): AccountCommand => ({ type: 'ResolveDispute', periods, data: { invoiceId: INV_B, resolution: 'ok', resolvedOn: '2026-01-31' } });
    const fullyPaidA = event('PaymentReceived', { paymentId: PAY_1, customerId: CUSTOMER, amount: 1_300, currency: 'CNY', receivedOn: '2026-01-20', method: 'cash', reference: 'x',
      allocations: [{ invoiceId: INV_A, amount: 1_000, discount: 0, kind: 'payment' }], unapplied: 300 });
    spec.given([...open, on, disputed, fullyPaidA]).when(resolve(closedJanuary)).then((events) => expect(events.map((e) => e.type)).toEqual(['InvoiceDisputeResolved']));
    spec.given([...open, on, disputed, fullyPaidA]).when(resolve({ closed: [], lateEntryAllowed: false }))
      .then((events) => expect(events.map((e) => e.type)).toEqual(['InvoiceDisputeResolved', 'CreditBalanceApplied']));
    expect(periodsConcerned(switchOn(closedJanuary), state(open))).toEqual(['2026-01']);
    expect(periodsConcerned(resolve(closedJanuary), state(open))).toEqual(['2026-01']);
  });

  it('names the periods a command dates into, so its append reads their gates', () => {
    const history = state([issued(INV_A, 1_000), paid]);
    expect(periodsConcerned(issue({ issueDate: '2031-03-04' }), history)).toEqual(['2031-03']);
    expect(periodsConcerned(pay(), history)).toEqual(['2026-01']);
    expect(periodsConcerned(creditNote(), history)).toEqual(['2026-01']);
    expect(periodsConcerned(reverse(undefined, '2026-01-31'), history)).toEqual(['2026-01']);
    expect(periodsConcerned(reverse(), history)).toEqual(['2026-02']);
    expect(periodsConcerned(allocate(), history)).toEqual(['2026-01']);
    expect(periodsConcerned(refund(), history)).toEqual(['2026-01']);
    expect(periodsConcerned({ type: 'CloseDay', data: { businessDate: '2026-01-31' } }, history)).toEqual([]);
  });

  it('closes a period once; closing it again records nothing', () => {
    const periods = deciderSpec(accountingPeriodsDecider);
    const closed = { type: 'AccountingPeriodClosed' as const, schemaVersion: 1, data: { period: '2026-01', closedBy: 'cm-1', closedOn: '2026-02-02' } };
    periods.given([]).when({ type: 'ClosePeriod', data: { period: '2026-01', closedBy: 'cm-1', closedOn: '2026-02-02' } }).then([closed]);
    periods.given([closed]).when({ type: 'ClosePeriod', data: { period: '2026-01', closedBy: 'cm-2', closedOn: '2026-02-05' } }).thenNothingHappened();
  });

  it('refuses to close a month after the current one, naming period; the current and earlier months in any order', () => {
    const close = (period: string) => () => accountingPeriodsDecider.decide({ type: 'ClosePeriod', data: { period, closedBy: 'cm-1', closedOn: '2026-02-28' } }, accountingPeriodsDecider.initialState());
    expect(close('2026-03')).toThrow(expect.objectContaining({ code: 'period-in-future', field: 'period' }));
    expect(close('2027-01')).toThrow(expect.objectContaining({ code: 'period-in-future' }));
    expect(close('2026-02')()).toEqual([expect.objectContaining({ data: expect.objectContaining({ period: '2026-02' }) })]);
    const afterMarch = [{ type: 'AccountingPeriodClosed' as const, schemaVersion: 1, data: { period: '2026-01', closedBy: 'cm-1', closedOn: '2026-02-02' } }]
      .reduce(accountingPeriodsDecider.evolve, accountingPeriodsDecider.initialState());
    expect(accountingPeriodsDecider.decide({ type: 'ClosePeriod', data: { period: '2025-11', closedBy: 'cm-1', closedOn: '2026-02-28' } }, afterMarch)).toHaveLength(1);
  });
});

describe('invoice numbering', () => {
  it('numbers per issue year by default, with the configured prefix, six digits and more', () => {
    expect(invoiceNumber(invoiceSeries({ prefix: 'INV', series: 'yearly' }, '2031-05-01'), 1)).toBe('INV-2031-000001');
    expect(invoiceNumber(invoiceSeries({ prefix: 'RE', series: 'single' }, '2031-05-01'), 42)).toBe('RE-000042');
    expect(invoiceNumber('INV-2031', 1_234_567)).toBe('INV-2031-1234567');
  });

  it('issues with the number its append took, and never without one', () => {
    spec.given([]).when(issue({ number: 'INV-2026-000007' })).then(([e]) => expect(e.data).toMatchObject({ number: 'INV-2026-000007' }));
    expect(() => accountDecider.decide(issue({ number: undefined }), accountDecider.initialState())).toThrow(/number/);
  });
});
