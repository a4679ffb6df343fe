import { deciderSpec } from '@crm/testing';
import { DomainError } from '@crm/contracts';
import { accountDecider } from './account.decider';
import { event } from './account.events';
import { CUSTOMER, INV_A, INV_B, issue, issued, noCreditLimits, PAY_1 } from './account.fixtures';
import { invoiceStatus } from './account.state';
import { nextAccountTransition } from './account.index';

const spec = deciderSpec(accountDecider);
const refusedWith = (code: string, field?: string) => (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(code);
    if (field) expect((error as DomainError).field).toBe(field);
    return;
  }
  throw new Error(`expected ${code}`);
};
const decide = (history: ReturnType<typeof issued>[], command: Parameters<typeof accountDecider.decide>[0]) => () =>
  accountDecider.decide(command, history.reduce(accountDecider.evolve, accountDecider.initialState()));

describe('issuing invoices', () => {
  it('net terms: total from lines, one due date N days after issue', () =>
    spec.given([]).when(issue()).then(([e]) => expect(e.data).toMatchObject({
      total: 100_000, lines: [{ description: 'Tea', quantity: 10, unitPrice: 10_000, amount: 100_000 }],
      terms: { type: 'net', days: 30 }, installments: [{ dueDate: '2026-01-31', amount: 100_000 }], earlyPaymentDiscount: null,
    })));

  it('installments: kept in due-date order when they sum to the total', () =>
    spec.given([]).when(issue({ terms: { type: 'installments', schedule: [{ dueDate: '2026-03-01', amount: 40_000 }, { dueDate: '2026-02-01', amount: 60_000 }] } }))
      .then(([e]) => expect((e.data as any).installments).toEqual([{ dueDate: '2026-02-01', amount: 60_000 }, { dueDate: '2026-03-01', amount: 40_000 }])));

  it('refuses installments that do not sum to the total', () =>
    refusedWith('installments-do-not-sum-to-total', 'terms.schedule')(decide([], issue({ terms: { type: 'installments', schedule: [{ dueDate: '2026-02-01', amount: 1 }] } }))));

  it('refuses a due date before the issue date', () =>
    refusedWith('due-date-before-issue-date', 'terms.schedule[0].dueDate')(decide([], issue({ terms: { type: 'installments', schedule: [{ dueDate: '2025-12-31', amount: 100_000 }] } }))));

  it('refuses two installments on one date, and an invoice of nothing', () => {
    refusedWith('duplicate-installment-date', 'terms.schedule[1].dueDate')(decide([], issue({ terms: { type: 'installments',
      schedule: [{ dueDate: '2026-03-01', amount: 40_000 }, { dueDate: '2026-03-01', amount: 60_000 }] } })));
    refusedWith('invoice-total-zero', 'lines')(decide([], issue({ lines: [{ description: 'sample', quantity: 3, unitPrice: 0 }] })));
  });

  it('names the installment the client sent, not its place in due-date order', () =>
    refusedWith('due-date-before-issue-date', 'terms.schedule[1].dueDate')(decide([], issue({ terms: { type: 'installments',
      schedule: [{ dueDate: '2026-03-01', amount: 40_000 }, { dueDate: '2025-12-31', amount: 60_000 }] } }))));

  it('refuses an unknown customer, a customer on hold, and exposure above the limit', () => {
    refusedWith('unknown-customer', 'customerId')(decide([], issue({}, { ...noCreditLimits, customerKnown: false })));
    refusedWith('credit-hold')(decide([], issue({}, { ...noCreditLimits, onCreditHold: true })));
    refusedWith('credit-limit-exceeded')(decide([issued(INV_B, 50_000)], issue({}, { ...noCreditLimits, creditLimit: { amount: 120_000, currency: 'CNY' } })));
  });

  it('refuses net terms longer than the terms credit approved, naming the rule and the field', () => {
    const approved30 = { ...noCreditLimits, creditTermsDays: 30 };
    refusedWith('terms-exceed-credit-terms', 'terms.days')(decide([], issue({ terms: { type: 'net', days: 45 } }, approved30)));
    refusedWith('terms-exceed-credit-terms', 'terms.schedule')(decide([], issue({ terms: { type: 'installments',
      schedule: [{ dueDate: '2026-01-20', amount: 50_000 }, { dueDate: '2026-02-05', amount: 50_000 }] } }, approved30)));
    spec.given([]).when(issue({ terms: { type: 'net', days: 30 } }, approved30)).then((events) => expect(events).toHaveLength(1));
    spec.given([]).when(issue({ terms: { type: 'net', days: 90 } }, { ...noCreditLimits, creditTermsDays: null })).then((events) => expect(events).toHaveLength(1));
  });

  it('allows an invoice that fits the available credit exactly', () =>
    spec.given([issued(INV_B, 20_000)]).when(issue({}, { ...noCreditLimits, creditLimit: { amount: 120_000, currency: 'CNY' } }))
      .then((events) => expect(events).toHaveLength(1)));

  it('records the early-payment discount deadline', () =>
    spec.given([]).when(issue({ earlyPaymentDiscount: { percent: 2, withinDays: 10 } }))
      .then(([e]) => expect((e.data as any).earlyPaymentDiscount).toEqual({ percent: 2, withinDays: 10, deadline: '2026-01-11' })));
});

describe('payments', () => {
  const pay = (amount: number, receivedOn = '2026-01-05', allocations?: Array<{ invoiceId: string; amount: number }>, currency = 'CNY') =>
    ({ type: 'ReceivePayment' as const, data: { paymentId: PAY_1, customerId: CUSTOMER, amount, currency, receivedOn, method: 'bank_transfer', reference: 'R1', allocations }, context: { customerKnown: true } });
  const received = (amount: number, allocations: any[], unapplied: number, receivedOn = '2026-01-05') =>
    event('PaymentReceived', { paymentId: PAY_1, customerId: CUSTOMER, amount, currency: 'CNY', receivedOn, method: 'bank_transfer', reference: 'R1', allocations, unapplied });

  it('allocates oldest due first and keeps an overpayment as unapplied credit', () =>
    spec.given([issued(INV_B, 30_000, '2026-01-10'), issued(INV_A, 50_000, '2026-01-01')]).when(pay(100_000))
      .then([received(100_000, [
        { invoiceId: INV_A, amount: 50_000, discount: 0, kind: 'payment' },
        { invoiceId: INV_B, amount: 30_000, discount: 0, kind: 'payment' }], 20_000)]));

  it('applies the early-payment discount when paid in time, not when late', () => {
    const withDiscount = accountDecider.decide(issue({ earlyPaymentDiscount: { percent: 2, withinDays: 10 } }), accountDecider.initialState());
    spec.given(withDiscount).when(pay(98_000, '2026-01-11'))
      .then([received(98_000, [{ invoiceId: INV_A, amount: 98_000, discount: 2_000, kind: 'payment' }], 0, '2026-01-11')]);
    spec.given(withDiscount).when(pay(98_000, '2026-01-12'))
      .then([received(98_000, [{ invoiceId: INV_A, amount: 98_000, discount: 0, kind: 'payment' }], 0, '2026-01-12')]);
  });

  it('refuses named allocations above the outstanding amount, unknown invoices and another currency', () => {
    refusedWith('allocation-exceeds-outstanding', 'allocations[0].amount')(decide([issued(INV_A, 500)], pay(1_000, '2026-01-05', [{ invoiceId: INV_A, amount: 600 }])));
    refusedWith('unknown-invoice', 'allocations[0].invoiceId')(decide([issued(INV_A, 500)], pay(1_000, '2026-01-05', [{ invoiceId: INV_B, amount: 100 }])));
    refusedWith('currency-mismatch', 'currency')(decide([issued(INV_A, 500)], pay(500, '2026-01-05', [{ invoiceId: INV_A, amount: 500 }], 'USD')));
    refusedWith('allocations-exceed-payment', 'allocations')(decide([issued(INV_A, 500), issued(INV_B, 500)], pay(600, '2026-01-05', [{ invoiceId: INV_A, amount: 500 }, { invoiceId: INV_B, amount: 500 }])));
  });

  it('reverses a payment once', () => {
    const history = [issued(INV_A, 500), received(500, [{ invoiceId: INV_A, amount: 500, discount: 0, kind: 'payment' }], 0)];
    spec.given(history).when({ type: 'ReversePayment', data: { paymentId: PAY_1, reversedOn: '2026-01-06', today: '2026-01-06' } })
      .then([event('PaymentReversed', { paymentId: PAY_1, customerId: CUSTOMER, currency: 'CNY', reversedOn: '2026-01-06', allocations: [{ invoiceId: INV_A, amount: 500, discount: 0, kind: 'payment' }], unapplied: 0 })]);
    const reversed = accountDecider.decide({ type: 'ReversePayment', data: { paymentId: PAY_1, reversedOn: '2026-01-06', today: '2026-01-06' } }, history.reduce(accountDecider.evolve, accountDecider.initialState()));
    refusedWith('payment-already-reversed')(decide([...history, ...reversed], { type: 'ReversePayment', data: { paymentId: PAY_1, reversedOn: '2026-01-07', today: '2026-01-07' } }));
  });

  it('refuses a reversal dated before the payment; without a date, reverses today or on a later receipt date', () => {
    const history = [issued(INV_A, 500), received(500, [{ invoiceId: INV_A, amount: 500, discount: 0, kind: 'payment' }], 0, '2026-01-05')];
    refusedWith('reversal-before-payment', 'reversedOn')(decide(history, { type: 'ReversePayment', data: { paymentId: PAY_1, reversedOn: '2026-01-04', today: '2026-01-10' } }));
    const on = (today: string) => (accountDecider.decide({ type: 'ReversePayment', data: { paymentId: PAY_1, today } },
      history.reduce(accountDecider.evolve, accountDecider.initialState()))[0].data as any).reversedOn;
    expect(on('2026-01-10')).toBe('2026-01-10');
    expect(on('2026-01-02')).toBe('2026-01-05');
  });

  it('refuses a reversal dated after today (or after a future-dated receipt\'s own date)', () => {
    const history = [issued(INV_A, 500), received(500, [{ invoiceId: INV_A, amount: 500, discount: 0, kind: 'payment' }], 0, '2026-01-05')];
    refusedWith('reversal-date-in-future', 'reversedOn')(decide(history, { type: 'ReversePayment', data: { paymentId: PAY_1, reversedOn: '2026-01-11', today: '2026-01-10' } }));
    refusedWith('reversal-date-in-future', 'reversedOn')(decide(history, { type: 'ReversePayment', data: { paymentId: PAY_1, reversedOn: '2026-01-06', today: '2026-01-02' } }));
    const on = (reversedOn: string, today: string) => (accountDecider.decide({ type: 'ReversePayment', data: { paymentId: PAY_1, reversedOn, today } },
      history.reduce(accountDecider.evolve, accountDecider.initialState()))[0].data as any).reversedOn;
    expect(on('2026-01-10', '2026-01-10')).toBe('2026-01-10');
    expect(on('2026-01-05', '2026-01-02')).toBe('2026-01-05');
  });

  it('refuses a payment from a customer receivables does not know', () =>
    refusedWith('unknown-customer', 'customerId')(decide([], { ...pay(500), context: { customerKnown: false } })));
});

describe('day close: overdue, dunning ladder, pauses, promises', () => {
  const close = (businessDate: string) => ({ type: 'CloseDay' as const, data: { businessDate } });
  const overdue = (businessDate: string, daysOverdue: number) =>
    event('InvoiceBecameOverdue', { invoiceId: INV_A, customerId: CUSTOMER, currency: 'CNY', businessDate, dueDate: '2026-01-31', daysOverdue, outstanding: 1_000 });
  const raised = (businessDate: string, level: number, previousLevel: number, daysOverdue: number, action: string) =>
    event('DunningLevelRaised', { invoiceId: INV_A, customerId: CUSTOMER, businessDate, level, previousLevel, daysOverdue, action });
  const invoice = issued(INV_A, 1_000); // due 2026-01-31

  it('nothing before the due date has passed', () => spec.given([invoice]).when(close('2026-01-31')).then([]));

  it('one day past due: overdue and a reminder', () =>
    spec.given([invoice]).when(close('2026-02-01')).then([overdue('2026-02-01', 1), raised('2026-02-01', 1, 0, 1, 'reminder_email')]));

  it('climbs to level 2 at 15 days and 3 at 30 days; the same date twice adds nothing', () => {
    const at1 = [invoice, overdue('2026-02-01', 1), raised('2026-02-01', 1, 0, 1, 'reminder_email')];
    spec.given(at1).when(close('2026-02-15')).then([raised('2026-02-15', 2, 1, 15, 'collector_call')]);
    spec.given([...at1, raised('2026-02-15', 2, 1, 15, 'collector_call')]).when(close('2026-02-15')).then([]);
    spec.given([...at1, raised('2026-02-15', 2, 1, 15, 'collector_call')]).when(close('2026-03-02')).then([raised('2026-03-02', 3, 2, 30, 'formal_demand_letter')]);
  });

  it('a late close raises one level, dated the close, and the schedule makes the account due the next day until the level its days call for', () => {
    spec.given([invoice]).when(close('2026-03-03')).then([overdue('2026-03-03', 31), raised('2026-03-03', 1, 0, 31, 'reminder_email')]);
    const afterFirst = [invoice, overdue('2026-03-03', 31), raised('2026-03-03', 1, 0, 31, 'reminder_email')];
    expect(nextAccountTransition(afterFirst.reduce(accountDecider.evolve, accountDecider.initialState()))).toBe('2026-03-04');
    // A second close of the same date raises nothing more: one level per closed business day.
    spec.given(afterFirst).when(close('2026-03-03')).then([]);
    const afterSecond = [...afterFirst, raised('2026-03-04', 2, 1, 32, 'collector_call')];
    spec.given(afterFirst).when(close('2026-03-04')).then([raised('2026-03-04', 2, 1, 32, 'collector_call')]);
    spec.given(afterSecond).when(close('2026-03-05')).then([raised('2026-03-05', 3, 2, 33, 'formal_demand_letter')]);
    // Level 3 is all 33 days call for: the schedule moves on to level 4's threshold (60 days).
    const atThree = [...afterSecond, raised('2026-03-05', 3, 2, 33, 'formal_demand_letter')].reduce(accountDecider.evolve, accountDecider.initialState());
    expect(nextAccountTransition(atThree)).toBe('2026-04-01');
    spec.given([...afterSecond, raised('2026-03-05', 3, 2, 33, 'formal_demand_letter')]).when(close('2026-03-06')).then([]);
  });

  it('overdue is recorded no later than the first step (same close, before it)', () => {
    const events = accountDecider.decide(close('2026-03-03'), [invoice].reduce(accountDecider.evolve, accountDecider.initialState()));
    expect(events.map((e) => [e.type, (e.data as { businessDate: string }).businessDate])).toEqual([
      ['InvoiceBecameOverdue', '2026-03-03'], ['DunningLevelRaised', '2026-03-03']]);
  });

  it('steps on after a dispute from the day it is resolved, one level a day, and the schedule names each day', () => {
    const disputed = event('InvoiceDisputed', { invoiceId: INV_A, customerId: CUSTOMER, reason: 'damaged', openedOn: '2026-01-20' });
    const resolved = event('InvoiceDisputeResolved', { invoiceId: INV_A, customerId: CUSTOMER, resolution: 'ok', resolvedOn: '2026-04-10' });
    const history = [invoice, disputed, overdue('2026-02-20', 20), resolved];
    spec.given(history).when(close('2026-04-09')).then([]);
    spec.given(history).when(close('2026-04-11')).then([raised('2026-04-11', 1, 0, 70, 'reminder_email')]);
    spec.given(history).when(close('2026-04-10')).then([raised('2026-04-10', 1, 0, 69, 'reminder_email')]);
    const state = history.reduce(accountDecider.evolve, accountDecider.initialState());
    expect(nextAccountTransition(state)).toBe('2026-04-10');
    const afterTwo = [raised('2026-04-10', 1, 0, 69, 'reminder_email'), raised('2026-04-11', 2, 1, 70, 'collector_call')].reduce(accountDecider.evolve, state);
    expect(nextAccountTransition(afterTwo)).toBe('2026-04-12');
    expect(afterTwo.invoices[INV_A].dunningSteps).toEqual([
      { level: 1, action: 'reminder_email', on: '2026-04-10' }, { level: 2, action: 'collector_call', on: '2026-04-11' }]);
  });

  it('stops at the last level', () => {
    const at5 = [invoice, overdue('2026-02-01', 1), ...[1, 2, 3, 4, 5].map((l) => raised(`2026-02-0${l}`, l, l - 1, l, 'x'))];
    spec.given(at5).when(close('2026-12-31')).then([]);
  });

  it('does not dun a disputed invoice', () =>
    spec.given([invoice, event('InvoiceDisputed', { invoiceId: INV_A, customerId: CUSTOMER, reason: 'damaged', openedOn: '2026-01-20' })])
      .when(close('2026-02-20')).then([overdue('2026-02-20', 20)]));

  it('pauses while a promise is pending, records a kept promise, escalates at once on a broken one', () => {
    const promised = event('PromiseToPayRecorded', { invoiceId: INV_A, customerId: CUSTOMER, promisedDate: '2026-02-10', amount: 1_000, recordedOn: '2026-02-02' });
    const base = [invoice, overdue('2026-02-01', 1), raised('2026-02-01', 1, 0, 1, 'reminder_email'), promised];
    spec.given(base).when(close('2026-02-05')).then([]);
    const outcome = { invoiceId: INV_A, customerId: CUSTOMER, promisedDate: '2026-02-10', promised: 1_000, paid: 0, businessDate: '2026-02-10' };
    spec.given(base).when(close('2026-02-10')).then([event('PromiseToPayBroken', outcome), raised('2026-02-10', 2, 1, 10, 'collector_call')]);
    const paid = event('PaymentReceived', { paymentId: PAY_1, customerId: CUSTOMER, amount: 400, currency: 'CNY', receivedOn: '2026-02-08', method: 'cash', reference: 'x', allocations: [{ invoiceId: INV_A, amount: 400, discount: 0, kind: 'payment' }], unapplied: 0 });
    spec.given([...base, paid]).when(close('2026-02-10')).then([event('PromiseToPayPartiallyKept', { ...outcome, paid: 400 })]);
  });
});

describe('write-offs', () => {
  const requested = event('WriteOffRequested', { requestId: PAY_1, invoiceId: INV_A, customerId: CUSTOMER, amount: 1_000, reason: 'bankrupt', requestedBy: 'alice', requestedOn: '2026-06-01' });
  const approve = (by: string) => ({ type: 'ApproveWriteOff' as const, data: { requestId: PAY_1, decidedBy: by, decidedOn: '2026-06-02' } });

  it('refuses approval by the requester (separation of duties)', () =>
    refusedWith('write-off-self-approval')(decide([issued(INV_A, 1_000), requested], approve('alice'))));

  it('writes off the outstanding amount when someone else approves; later money is a recovery', () => {
    const approved = event('WriteOffApproved', { requestId: PAY_1, invoiceId: INV_A, customerId: CUSTOMER, currency: 'CNY', amount: 1_000, approvedBy: 'bob', approvedOn: '2026-06-02' });
    spec.given([issued(INV_A, 1_000), requested]).when(approve('bob')).then([approved]);
    spec.given([issued(INV_A, 1_000), requested, approved])
      .when({ type: 'ReceivePayment', data: { paymentId: PAY_1, customerId: CUSTOMER, amount: 300, currency: 'CNY', receivedOn: '2026-07-01', method: 'cash', reference: 'r', allocations: [{ invoiceId: INV_A, amount: 300 }] }, context: { customerKnown: true } })
      .then(([e]) => expect((e.data as any).allocations).toEqual([{ invoiceId: INV_A, amount: 300, discount: 0, kind: 'recovery' }]));
  });
});

describe('review fixes', () => {
  const close = (businessDate: string) => ({ type: 'CloseDay' as const, data: { businessDate } });

  it('records a promise as kept when the invoice was paid in full before the promised date', () => {
    const promised = event('PromiseToPayRecorded', { invoiceId: INV_A, customerId: CUSTOMER, promisedDate: '2026-03-03', amount: 1_000, recordedOn: '2026-02-20' });
    const paid = event('PaymentReceived', { paymentId: PAY_1, customerId: CUSTOMER, amount: 1_000, currency: 'CNY', receivedOn: '2026-03-01', method: 'cash', reference: 'x', allocations: [{ invoiceId: INV_A, amount: 1_000, discount: 0, kind: 'payment' }], unapplied: 0 });
    spec.given([issued(INV_A, 1_000), promised, paid]).when(close('2026-03-03'))
      .then([event('PromiseToPayKept', { invoiceId: INV_A, customerId: CUSTOMER, promisedDate: '2026-03-03', promised: 1_000, paid: 1_000, businessDate: '2026-03-03' })]);
  });

  it('refuses to reverse a payment on an invoice written off since', () => {
    const paid = event('PaymentReceived', { paymentId: PAY_1, customerId: CUSTOMER, amount: 300, currency: 'CNY', receivedOn: '2026-02-01', method: 'cash', reference: 'x', allocations: [{ invoiceId: INV_A, amount: 300, discount: 0, kind: 'payment' }], unapplied: 0 });
    const writtenOff = event('WriteOffApproved', { requestId: INV_B, invoiceId: INV_A, customerId: CUSTOMER, currency: 'CNY', amount: 700, approvedBy: 'b', approvedOn: '2026-03-01' });
    refusedWith('payment-allocated-to-written-off-invoice')(decide([issued(INV_A, 1_000), paid, writtenOff], { type: 'ReversePayment', data: { paymentId: PAY_1, reversedOn: '2026-03-02', today: '2026-03-02' } }));
  });

  it('refuses an invoice in another currency than the credit limit', () =>
    refusedWith('credit-limit-exceeded', 'currency')(decide([], issue({ currency: 'USD' }, { ...noCreditLimits, creditLimit: { amount: 1_000_000, currency: 'CNY' } }))));

  it('is no longer overdue once the overdue installment is paid', () => {
    const history = accountDecider.decide(issue({ terms: { type: 'installments', schedule: [{ dueDate: '2026-02-01', amount: 50_000 }, { dueDate: '2026-03-01', amount: 50_000 }] } }), accountDecider.initialState());
    const state0 = history.reduce(accountDecider.evolve, accountDecider.initialState());
    const overdue = accountDecider.decide(close('2026-02-02'), state0);
    const state1 = overdue.reduce(accountDecider.evolve, state0);
    expect(invoiceStatus(state1.invoices[INV_A])).toBe('overdue');
    const pay = accountDecider.decide({ type: 'ReceivePayment', data: { paymentId: PAY_1, customerId: CUSTOMER, amount: 50_000, currency: 'CNY', receivedOn: '2026-02-03', method: 'cash', reference: 'x' }, context: { customerKnown: true } }, state1);
    expect(invoiceStatus(pay.reduce(accountDecider.evolve, state1).invoices[INV_A])).toBe('partially_paid');
  });
});
