import { deciderSpec } from '@crm/testing';
import { accountDecider } from './account.decider';
import { AccountEvent, event } from './account.events';
import { CUSTOMER, INV_A, INV_B, issue, issued, PAY_1 } from './account.fixtures';

const spec = deciderSpec(accountDecider);
const PAY_2 = 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee';
const NOTE = 'ffffffff-ffff-4fff-8fff-ffffffffffff';
const REFUND = '99999999-9999-4999-8999-999999999999';
const received = (paymentId: string, amount: number, allocations: any[], receivedOn = '2026-01-05') =>
  event('PaymentReceived', { paymentId, customerId: CUSTOMER, amount, currency: 'CNY', receivedOn, method: 'cash', reference: 'r', allocations,
    unapplied: amount - allocations.reduce((n: number, a: any) => n + a.amount, 0) });
const policy = (version: number, autoApplyCredit: boolean) =>
  event('ReceivablesPolicyChanged', { customerId: CUSTOMER, version, autoApplyCredit, changedOn: '2026-01-02' });
const setPolicy = (autoApplyCredit: boolean) =>
  ({ type: 'SetReceivablesPolicy' as const, data: { customerId: CUSTOMER, autoApplyCredit, changedOn: '2026-01-03' }, context: { customerKnown: true } });
const refund = (amount: number, currency = 'CNY') =>
  ({ type: 'RefundCreditBalance' as const, data: { refundId: REFUND, customerId: CUSTOMER, amount, currency, reference: 'REF-1', refundedOn: '2026-02-01' } });
const stateOf = (history: AccountEvent[]) => history.reduce(accountDecider.evolve, accountDecider.initialState());

describe('credit notes above the outstanding', () => {
  const paidA = [issued(INV_A, 1_000), received(PAY_1, 800, [{ invoiceId: INV_A, amount: 800, discount: 0, kind: 'payment' }])];

  it('credit the outstanding first; the rest becomes credit balance', () =>
    spec.given(paidA).when({ type: 'IssueCreditNote', data: { creditNoteId: NOTE, invoiceId: INV_A, amount: 500, reason: 'returned', issuedOn: '2026-01-09' } })
      .then((events) => {
        expect(events).toEqual([event('CreditNoteIssued', { creditNoteId: NOTE, invoiceId: INV_A, amount: 500, reason: 'returned', issuedOn: '2026-01-09',
          customerId: CUSTOMER, currency: 'CNY', toCreditBalance: 300 })]);
        const state = stateOf([...paidA, ...events]);
        expect([state.invoices[INV_A].credited, state.unapplied.CNY]).toEqual([200, 300]);
      }));

  it('never credit more than was invoiced and not yet credited', () =>
    spec.given(paidA).when({ type: 'IssueCreditNote', data: { creditNoteId: NOTE, invoiceId: INV_A, amount: 1_001, reason: 'x', issuedOn: '2026-01-09' } })
      .thenThrows('credit-note-exceeds-invoice', 'amount'));
});

describe('refunds of credit balance', () => {
  const history = [issued(INV_A, 1_000), received(PAY_1, 1_300, [{ invoiceId: INV_A, amount: 1_000, discount: 0, kind: 'payment' }]), received(PAY_2, 200, [])];

  it('pay back the oldest credit first', () =>
    spec.given(history).when(refund(400)).then([event('CreditBalanceRefunded', { refundId: REFUND, customerId: CUSTOMER, amount: 400, currency: 'CNY',
      reference: 'REF-1', refundedOn: '2026-02-01', sources: [{ kind: 'payment', id: PAY_1, amount: 300 }, { kind: 'payment', id: PAY_2, amount: 100 }] })]));

  it('refuse more than the balance in the currency, naming amount', () => {
    spec.given(history).when(refund(501)).thenThrows('refund-exceeds-credit-balance', 'amount');
    spec.given(history).when(refund(1, 'USD')).thenThrows('refund-exceeds-credit-balance', 'amount');
  });

  it('refuse a customer receivables does not know, naming customerId (not as a balance too small)', () => {
    spec.given([]).when({ ...refund(1), context: { customerKnown: false } }).thenThrows('unknown-customer', 'customerId');
    spec.given([]).when({ ...refund(1), context: { customerKnown: true } }).thenThrows('refund-exceeds-credit-balance', 'amount');
  });

  it('a refunded payment cannot be reversed', () => {
    const refunded = accountDecider.decide(refund(100), stateOf(history));
    spec.given([...history, ...refunded]).when({ type: 'ReversePayment', data: { paymentId: PAY_1, today: '2026-02-02' } }).thenThrows('payment-refunded');
  });
});

describe('unapplied money applied later', () => {
  const history = [issued(INV_A, 1_000), issued(INV_B, 500, '2026-01-03'), received(PAY_1, 900, [])];
  const allocate = (allocations: Array<{ invoiceId: string; amount: number }>, paymentId = PAY_1) =>
    ({ type: 'AllocatePayment' as const, data: { paymentId, allocations, allocatedOn: '2026-01-10' } });

  it('records PaymentAllocated with what the payment has left', () =>
    spec.given(history).when(allocate([{ invoiceId: INV_B, amount: 500 }, { invoiceId: INV_A, amount: 300 }])).then([event('PaymentAllocated', {
      paymentId: PAY_1, customerId: CUSTOMER, currency: 'CNY', allocatedOn: '2026-01-10', unapplied: 100,
      allocations: [{ invoiceId: INV_B, amount: 500, discount: 0, kind: 'payment' }, { invoiceId: INV_A, amount: 300, discount: 0, kind: 'payment' }] })]));

  it('under the rules of allocation at receipt, and never beyond the unapplied money', () => {
    spec.given(history).when(allocate([{ invoiceId: INV_B, amount: 501 }])).thenThrows('allocation-exceeds-outstanding', 'allocations[0].amount');
    spec.given(history).when(allocate([{ invoiceId: INV_A, amount: 1 }, { invoiceId: INV_A, amount: 1 }])).thenThrows('duplicate-allocation', 'allocations[1].invoiceId');
    spec.given(history).when(allocate([{ invoiceId: PAY_2, amount: 1 }])).thenThrows('unknown-invoice', 'allocations[0].invoiceId');
    spec.given(history).when(allocate([{ invoiceId: INV_A, amount: 500 }, { invoiceId: INV_B, amount: 500 }])).thenThrows('allocations-exceed-unapplied', 'allocations');
    spec.given(history).when(allocate([{ invoiceId: INV_A, amount: 1 }], PAY_2)).thenThrows('payment-not-found');
  });

  it('with the early-payment discount the receipt date earned', () => {
    const discounted = accountDecider.decide(issue({ invoiceId: INV_A, earlyPaymentDiscount: { percent: 2, withinDays: 10 } }), accountDecider.initialState());
    spec.given([...discounted, received(PAY_1, 98_000, [], '2026-01-05')]).when(allocate([{ invoiceId: INV_A, amount: 98_000 }]))
      .then(([e]) => expect(e.data).toMatchObject({ allocations: [{ invoiceId: INV_A, amount: 98_000, discount: 2_000, kind: 'payment' }], unapplied: 0 }));
  });

  it('a reversal then takes back the later allocations too', () => {
    const allocated = accountDecider.decide(allocate([{ invoiceId: INV_A, amount: 600 }]), stateOf(history));
    spec.given([...history, ...allocated]).when({ type: 'ReversePayment', data: { paymentId: PAY_1, today: '2026-01-11' } })
      .then(([e]) => expect(e.data).toMatchObject({ allocations: [{ invoiceId: INV_A, amount: 600, discount: 0, kind: 'payment' }], unapplied: 300 }));
  });
});

describe('auto-applying credit balance (policy autoApplyCredit)', () => {
  const credit = [issued(INV_A, 1_000, '2026-01-01'), received(PAY_1, 1_700, [{ invoiceId: INV_A, amount: 1_000, discount: 0, kind: 'payment' }])];

  it('is off by default: a new invoice leaves the balance where it is', () =>
    spec.given(credit).when(issue({ invoiceId: INV_B, number: 'INV-2' })).then((events) => expect(events.map((e) => e.type)).toEqual(['InvoiceIssued'])));

  it('when on, applies the balance to the open invoices, oldest due first, citing the policy version', () => {
    const older = issued('aaaaaaaa-0000-4aaa-8aaa-aaaaaaaaaaaa', 500, '2025-12-01', 30, 'INV-0');
    spec.given([...credit, older, policy(1, true)]).when(issue({ invoiceId: INV_B, number: 'INV-2' })).then(([, applied]) => {
      expect(applied).toEqual(event('CreditBalanceApplied', { customerId: CUSTOMER, currency: 'CNY', appliedOn: '2026-01-01', policyVersion: 1, trigger: 'invoice INV-2',
        applications: [
          { invoiceId: 'aaaaaaaa-0000-4aaa-8aaa-aaaaaaaaaaaa', amount: 500, source: { kind: 'payment', id: PAY_1, amount: 500 } },
          { invoiceId: INV_B, amount: 200, source: { kind: 'payment', id: PAY_1, amount: 200 } },
        ] }));
    });
  });

  describe('when a credit balance arises while invoices are open', () => {
    const open = [issued(INV_A, 1_000, '2026-01-01'), issued(INV_B, 600, '2025-12-20'), policy(1, true)];
    const pay = (allocations?: Array<{ invoiceId: string; amount: number }>, remittance?: string) => ({ type: 'ReceivePayment' as const, context: { customerKnown: true },
      data: { paymentId: PAY_1, customerId: CUSTOMER, amount: 1_200, currency: 'CNY', receivedOn: '2026-01-10', method: 'cash', reference: 'r', allocations, remittance } });

    it('applies money a payment leaves unapplied, oldest due first, dated the receipt', () =>
      spec.given(open).when(pay([{ invoiceId: INV_A, amount: 1_000 }])).then((events) => {
        expect(events.map((e) => e.type)).toEqual(['PaymentReceived', 'CreditBalanceApplied']);
        expect(events[1].data).toEqual({ customerId: CUSTOMER, currency: 'CNY', appliedOn: '2026-01-10', policyVersion: 1, trigger: `payment ${PAY_1}`,
          applications: [{ invoiceId: INV_B, amount: 200, source: { kind: 'payment', id: PAY_1, amount: 200 } }] });
        const state = stateOf([...open, ...events]);
        expect([state.unapplied.CNY, state.invoices[INV_B].paid, state.payments[PAY_1].unapplied]).toEqual([0, 200, 0]);
      }));

    it('applies unmatched money of a remittance too (the policy asks for it), leaving the matching record as it was', () =>
      spec.given(open).when(pay(undefined, 'for INV-999')).then(([received, applied]) => {
        expect(received.data).toMatchObject({ allocations: [], unapplied: 1_200, matching: { references: [expect.objectContaining({ outcome: 'unknown' })] } });
        expect(applied.data).toMatchObject({ applications: [{ invoiceId: INV_B, amount: 600 }, { invoiceId: INV_A, amount: 600 }] });
      }));

    it('applies the part of a credit note above its invoice outstanding to the other open invoices', () =>
      spec.given([...open, received(PAY_2, 1_000, [{ invoiceId: INV_A, amount: 1_000, discount: 0, kind: 'payment' }])])
        .when({ type: 'IssueCreditNote', data: { creditNoteId: NOTE, invoiceId: INV_A, amount: 400, reason: 'returned', issuedOn: '2026-01-12' } })
        .then(([note, applied]) => {
          expect(note.data).toMatchObject({ toCreditBalance: 400 });
          expect(applied.data).toEqual({ customerId: CUSTOMER, currency: 'CNY', appliedOn: '2026-01-12', policyVersion: 1, trigger: `credit note ${NOTE}`,
            applications: [{ invoiceId: INV_B, amount: 400, source: { kind: 'credit-note', id: NOTE, amount: 400 } }] });
        }));

    it('applies credit to an invoice whose dispute is resolved (disputed invoices take none)', () => {
      const disputed = event('InvoiceDisputed', { invoiceId: INV_B, customerId: CUSTOMER, reason: 'quality', openedOn: '2026-01-02' });
      const paidA = received(PAY_2, 1_300, [{ invoiceId: INV_A, amount: 1_000, discount: 0, kind: 'payment' }]);
      expect(stateOf([...open, disputed, paidA]).unapplied.CNY).toBe(300);
      spec.given([...open, disputed, paidA]).when({ type: 'ResolveDispute', data: { invoiceId: INV_B, resolution: 'valid', resolvedOn: '2026-01-15' } })
        .then(([, applied]) => expect(applied.data).toMatchObject({ appliedOn: '2026-01-15', trigger: expect.stringMatching(/^dispute on .* resolved$/),
          applications: [{ invoiceId: INV_B, amount: 300, source: { kind: 'payment', id: PAY_2, amount: 300 } }] }));
    });

    it('does nothing of the sort while the policy is off, and never changes the state it decided on', () => {
      spec.given(open.slice(0, 2)).when(pay([{ invoiceId: INV_A, amount: 1_000 }])).then((events) => expect(events.map((e) => e.type)).toEqual(['PaymentReceived']));
      const state = stateOf(open);
      const before = structuredClone(state);
      accountDecider.decide(pay([{ invoiceId: INV_A, amount: 1_000 }]), state);
      expect(state).toEqual(before);
    });
  });

  it('versions the policy per customer; the same setting again records nothing; switching on applies at once', () => {
    spec.given(credit).when(setPolicy(false)).thenNothingHappened();
    spec.given([...credit, policy(1, true)]).when(setPolicy(true)).thenNothingHappened();
    spec.given([...credit, policy(1, true)]).when(setPolicy(false)).then([event('ReceivablesPolicyChanged', { customerId: CUSTOMER, version: 2, autoApplyCredit: false, changedOn: '2026-01-03' })]);
    const open = issued(INV_B, 300, '2026-01-02');
    spec.given([...credit, open]).when(setPolicy(true)).then((events) => {
      expect(events.map((e) => e.type)).toEqual(['ReceivablesPolicyChanged', 'CreditBalanceApplied']);
      expect(events[1].data).toMatchObject({ policyVersion: 1, applications: [{ invoiceId: INV_B, amount: 300 }] });
      const state = stateOf([...credit, open, ...events]);
      expect([state.unapplied.CNY, state.invoices[INV_B].paid, state.payments[PAY_1].unapplied]).toEqual([400, 300, 400]);
    });
  });
});
