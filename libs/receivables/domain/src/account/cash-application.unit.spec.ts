import fc from 'fast-check';
import { deciderSpec } from '@crm/testing';
import { accountDecider } from './account.decider';
import { AccountEvent, event } from './account.events';
import { CUSTOMER, INV_A, INV_B, issue, issued, PAY_1 } from './account.fixtures';
import { outstanding } from './account.state';
import { REMITTANCE_RULE } from './cash-application';
import { invoiceNumberKey, remittanceDeductionPercent, remittanceReferences } from './invoice-number-key';

const spec = deciderSpec(accountDecider);
const INV_C = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd';
const A = issued(INV_A, 100_000, '2026-01-01', 30, 'INV-000123');
const B = issued(INV_B, 50_000, '2026-01-05', 30, 'INV-000130');
const pay = (amount: number, remittance: string, receivedOn = '2026-01-20', currency = 'CNY') => ({
  type: 'ReceivePayment' as const, context: { customerKnown: true },
  data: { paymentId: PAY_1, customerId: CUSTOMER, amount, currency, receivedOn, method: 'bank_transfer', reference: 'B-77', remittance },
});
const received = (events: AccountEvent[]) => {
  const [e] = events;
  if (e.type !== 'PaymentReceived') throw new Error(`expected PaymentReceived, got ${e.type}`);
  return e.data;
};

describe('invoice numbers in remittance texts', () => {
  it('reads one key whatever the separators, case and leading zeros', () => {
    expect(['INV-000123', 'inv 123', 'INV123', 'Inv#0123'].map(invoiceNumberKey)).toEqual(['INV-123', 'INV-123', 'INV-123', 'INV-123']);
    expect(invoiceNumberKey('INV-2026-000007')).toBe('INV-2026-7');
    expect(invoiceNumberKey('INV-000000')).toBe('INV-0');
  });

  it('finds the references in the order written, and a stated deduction', () => {
    expect(remittanceReferences('INV-000123, INV-000130 less 2%')).toEqual(['INV-000123', 'INV-000130']);
    expect(remittanceReferences('payment for inv 77 and INV2026-8')).toEqual(['inv 77', 'INV2026-8']);
    expect(remittanceDeductionPercent('INV-000123, INV-000130 less 2%')).toBe(2);
    expect(remittanceDeductionPercent('minus 2.5 %')).toBe(2.5);
    expect(remittanceDeductionPercent('INV-000123')).toBeNull();
  });

  it('reads year-series numbers written without the prefix or with spaces, not dates or amounts', () => {
    expect(remittanceReferences('2026-000001, inv 2026 1 and #2026-1')).toEqual(['2026-000001', 'inv 2026 1', '#2026-1']);
    expect(['2026-000001', 'inv 2026 1', '#2026-1', 'inv-2026-000007'].map(invoiceNumberKey)).toEqual(['2026-1', 'INV-2026-1', '2026-1', 'INV-2026-7']);
    // A date reads as one token whose key no year-series number has (not `2026-3`).
    expect(remittanceReferences('paid 2026-03-05, 120000 CNY').map(invoiceNumberKey)).toEqual(['PAID-2026-3-5']);
    expect(remittanceReferences('2026-03-05')).toEqual([]);
    expect(remittanceReferences('INV-2026 120.00 less 2%')).toEqual(['INV-2026']);
  });
});

describe('year-series numbers named without the prefix', () => {
  const first = issued(INV_A, 100_000, '2026-01-01', 30, 'INV-2026-000001');
  const seventh = issued(INV_B, 50_000, '2026-01-05', 30, 'INV-2026-000007');
  for (const remittance of ['2026-000001', 'inv 2026 1', '#2026-1', 'INV-2026-000001']) {
    it(`"${remittance}" applies INV-2026-000001`, () =>
      spec.given([first, seventh]).when(pay(100_000, remittance)).then((events) => {
        expect(received(events).allocations).toEqual([{ invoiceId: INV_A, amount: 100_000, discount: 0, kind: 'payment' }]);
        expect(received(events).matching).toMatchObject({ references: [{ text: remittance, invoiceId: INV_A, outcome: 'applied' }] });
      }));
  }
});

describe('cash application by remittance', () => {
  it('applies invoices named by number whose outstanding the money settles exactly, recording what matched and why', () =>
    spec.given([A, B]).when(pay(150_000, 'INV-000123, INV-000130')).then((events) => {
      const d = received(events);
      expect(d.allocations).toEqual([
        { invoiceId: INV_A, amount: 100_000, discount: 0, kind: 'payment' },
        { invoiceId: INV_B, amount: 50_000, discount: 0, kind: 'payment' },
      ]);
      expect(d.unapplied).toBe(0);
      expect(d.remittance).toBe('INV-000123, INV-000130');
      expect(d.matching).toMatchObject({ rule: REMITTANCE_RULE, deductionPercent: null, suggestions: [],
        references: [{ text: 'INV-000123', invoiceId: INV_A, outcome: 'applied' }, { text: 'INV-000130', invoiceId: INV_B, outcome: 'applied' }] });
    }));

  it('"less 2%" covered by the early-payment discount is exact: applied with the discount', () => {
    const discounted = accountDecider.decide(issue({ number: 'INV-000123', earlyPaymentDiscount: { percent: 2, withinDays: 10 } }), accountDecider.initialState());
    spec.given(discounted).when(pay(98_000, 'INV-000123 less 2%', '2026-01-08')).then((events) => {
      expect(received(events).allocations).toEqual([{ invoiceId: INV_A, amount: 98_000, discount: 2_000, kind: 'payment' }]);
      expect(received(events).unapplied).toBe(0);
    });
  });

  it('leaves money unapplied when it does not settle a named invoice, with ranked suggestions', () =>
    spec.given([A, B]).when(pay(146_000, 'INV-000123, INV-000130 less 2%')).then((events) => {
      const d = received(events);
      // Not 150,000 less 2% (147,000): INV-000123 is covered in full; 46,000 is left for INV-000130.
      expect(d.allocations).toEqual([{ invoiceId: INV_A, amount: 100_000, discount: 0, kind: 'payment' }]);
      expect(d.unapplied).toBe(46_000);
      expect(d.matching!.deductionPercent).toBe(2);
      expect(d.matching).not.toHaveProperty('deduction');
      expect(d.matching!.references.map((r) => r.outcome)).toEqual(['applied', 'suggested']);
      expect(d.matching!.suggestions).toEqual([{ invoiceId: INV_B, number: 'INV-000130', amount: 46_000, confidence: 0.7, why: expect.stringContaining('INV-000130') }]);
    }));

  it('suggests, with high confidence, one named invoice the money pays less the stated deduction when the whole remittance does not match', () =>
    spec.given([A, B]).when(pay(49_000, 'INV-000123, INV-000130 less 2%')).then((events) => {
      const d = received(events);
      expect([d.allocations, d.unapplied]).toEqual([[], 49_000]);
      expect(d.matching!.suggestions[0]).toEqual({ invoiceId: INV_B, number: 'INV-000130', amount: 49_000, confidence: 0.9, why: expect.stringContaining('2%') });
    }));
});

describe('a deduction the remittance states ("less 2%")', () => {
  it('matches the named invoices paid less it: each paid less its share, the short-paid share left open on the invoice, with why', () =>
    spec.given([A, B]).when(pay(147_000, 'INV-000123, INV-000130 less 2%')).then((events) => {
      const d = received(events);
      expect([d.allocations, d.unapplied]).toEqual([[
        { invoiceId: INV_A, amount: 98_000, discount: 0, kind: 'payment' }, { invoiceId: INV_B, amount: 49_000, discount: 0, kind: 'payment' }], 0]);
      expect(d.matching).toMatchObject({ rule: REMITTANCE_RULE, deductionPercent: 2, suggestions: [],
        deduction: { percent: 2, base: 150_000, amount: 3_000, earnedDiscount: 0, shortPaid: 3_000, rounding: expect.stringContaining('half up') },
        references: [{ text: 'INV-000123', outcome: 'applied', shortPaid: 2_000, why: expect.stringContaining('short payment') },
          { text: 'INV-000130', outcome: 'applied', shortPaid: 1_000, why: expect.stringContaining('stays open') }] });
      const state = [A, B, ...events].reduce(accountDecider.evolve, accountDecider.initialState());
      expect([outstanding(state.invoices[INV_A]), outstanding(state.invoices[INV_B]), state.invoices[INV_A].discounted]).toEqual([2_000, 1_000, 0]);
    }));

  it('reads "minus 2 %" and "-2%" as the same deduction', () => {
    expect([remittanceDeductionPercent('INV-000123, INV-000130 -2%'), remittanceDeductionPercent('INV-000123 minus 2 %'), remittanceDeductionPercent('less 12.5%')]).toEqual([2, 2, 12.5]);
    expect(remittanceReferences('INV-000123, INV-000130 -2%')).toEqual(['INV-000123', 'INV-000130']);
    for (const remittance of ['INV-000123, INV-000130 -2%', 'INV-000123 and INV-000130 minus 2 %']) {
      spec.given([A, B]).when(pay(147_000, remittance)).then((events) => expect(received(events).matching!.deduction).toMatchObject({ amount: 3_000 }));
    }
  });

  it('rounds the deduction half up on the sum, and spreads it by largest remainder', () => {
    // 2% of 1,025 is 20.5: 21 deducted, 1,004 paid.
    const small = issued(INV_C, 1_025, '2026-01-01', 30, 'INV-000150');
    spec.given([small]).when(pay(1_004, 'INV-000150 less 2%')).then((events) => expect(received(events).matching!.deduction).toMatchObject({ base: 1_025, amount: 21 }));
    spec.given([small]).when(pay(1_005, 'INV-000150 less 2%')).then((events) => expect(received(events).allocations).toEqual([]));
    // 2% of 15,001 is 300.02: 300, shared 199.98 / 100.01, so the one minor unit left goes to the larger remainder.
    const ten = issued(INV_A, 10_000, '2026-01-01', 30, 'INV-000123');
    const five = issued(INV_B, 5_001, '2026-01-01', 30, 'INV-000130');
    spec.given([ten, five]).when(pay(14_701, 'INV-000123 INV-000130 less 2%')).then((events) =>
      expect(received(events).matching!.references.map((r) => r.shortPaid)).toEqual([200, 100]));
  });

  it('settles an invoice whose share is the early-payment discount it earns; only the rest is short-paid', () => {
    const discounted = accountDecider.decide(issue({ number: 'INV-000123', earlyPaymentDiscount: { percent: 2, withinDays: 10 } }), accountDecider.initialState());
    spec.given([...discounted, B]).when(pay(147_000, 'INV-000123, INV-000130 less 2%', '2026-01-08')).then((events) => {
      const d = received(events);
      expect(d.allocations).toEqual([{ invoiceId: INV_A, amount: 98_000, discount: 2_000, kind: 'payment' }, { invoiceId: INV_B, amount: 49_000, discount: 0, kind: 'payment' }]);
      expect(d.matching!.deduction).toMatchObject({ amount: 3_000, earnedDiscount: 2_000, shortPaid: 1_000 });
      expect(d.matching!.references[0]).not.toHaveProperty('shortPaid');
      expect(d.matching!.references[0].why).toContain('early-payment discount it earns');
    });
  });

  it('never loses or creates money, and pays each invoice something, for any invoices and percentage', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ total: fc.integer({ min: 1, max: 5_000_000 }), discount: fc.boolean() }), { minLength: 1, maxLength: 4 }),
      fc.integer({ min: 1, max: 9_999 }), fc.integer({ min: 0, max: 20 }),
      (invoices, basisPoints, day) => {
        const ids = invoices.map((_, i) => `0000000${i}-0000-4000-8000-000000000000`);
        const history = invoices.flatMap(({ total, discount }, i) => accountDecider.decide(issue({ invoiceId: ids[i], number: `INV-${i + 1}`,
          lines: [{ description: 'x', quantity: 1, unitPrice: total }], earlyPaymentDiscount: discount ? { percent: 2, withinDays: 10 } : undefined }), accountDecider.initialState()));
        const base = BigInt(invoices.reduce((n, i) => n + i.total, 0));
        const deducted = Number(base - (base * BigInt(basisPoints) + 5_000n) / 10_000n);
        const percent = basisPoints / 100;
        const state = history.reduce(accountDecider.evolve, accountDecider.initialState());
        const remittance = `${invoices.map((_, i) => `INV-${i + 1}`).join(', ')} less ${percent}%`;
        const [e] = accountDecider.decide(pay(deducted, remittance, `2026-01-${String(1 + day).padStart(2, '0')}`), state);
        if (e.type !== 'PaymentReceived') throw new Error(e.type);
        const after = accountDecider.evolve(structuredClone(state), e);
        const open = ids.reduce((n, id) => n + outstanding(after.invoices[id]), 0);
        const discounts = e.data.allocations.reduce((n, a) => n + a.discount, 0);
        expect(e.data.allocations.reduce((n, a) => n + a.amount, 0) + e.data.unapplied).toBe(deducted);
        expect(e.data.allocations.every((a) => a.amount > 0 && a.amount <= outstanding(state.invoices[a.invoiceId]))).toBe(true);
        if (e.data.matching!.deduction) {
          const d = e.data.matching!.deduction;
          expect([e.data.unapplied, d.earnedDiscount + d.shortPaid, open, discounts]).toEqual([0, d.amount, d.shortPaid, d.earnedDiscount]);
        } else {
          expect(open + discounts).toBe(Number(base) - (deducted - e.data.unapplied));
        }
      }), { numRuns: 300 });
  });
});

describe('cash application, other cases', () => {
  it('matches only this customer\'s open invoices in the payment currency; says why for the others', () => {
    const usd = event('InvoiceIssued', { ...(issued(INV_C, 10_000, '2026-01-01', 30, 'INV-000140').data as any), currency: 'USD' });
    const paidB = event('PaymentReceived', { paymentId: 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee', customerId: CUSTOMER, amount: 50_000, currency: 'CNY',
      receivedOn: '2026-01-06', method: 'cash', reference: 'x', allocations: [{ invoiceId: INV_B, amount: 50_000, discount: 0, kind: 'payment' }], unapplied: 0 });
    spec.given([A, B, usd, paidB]).when(pay(10_000, 'INV-000999 INV-000130 INV-000140')).then((events) => {
      const d = received(events);
      expect(d.allocations).toEqual([]);
      expect(d.matching!.references.map((r) => [r.text, r.outcome])).toEqual([['INV-000999', 'unknown'], ['INV-000130', 'settled'], ['INV-000140', 'other-currency']]);
    });
  });

  it('by amount alone nothing is applied: an open invoice of exactly that amount is a suggestion, less sure when several are', () => {
    spec.given([A, B]).when(pay(50_000, 'thanks')).then((events) => {
      const d = received(events);
      expect([d.allocations, d.unapplied]).toEqual([[], 50_000]);
      expect(d.matching!.suggestions).toEqual([{ invoiceId: INV_B, number: 'INV-000130', amount: 50_000, confidence: 0.6, why: expect.any(String) }]);
    });
    const twin = issued(INV_C, 50_000, '2026-01-02', 30, 'INV-000131');
    spec.given([A, B, twin]).when(pay(50_000, 'thanks')).then((events) => {
      // Oldest due first among equals: INV-000131 (due 2026-02-01) before INV-000130 (due 2026-02-04).
      expect(received(events).matching!.suggestions.map((s) => [s.number, s.confidence])).toEqual([['INV-000131', 0.4], ['INV-000130', 0.4]]);
    });
  });

  it('without allocations or remittance, still allocates oldest due first (unchanged)', () =>
    spec.given([B, A]).when({ ...pay(120_000, ''), data: { ...pay(120_000, '').data, remittance: undefined } }).then((events) => {
      const d = received(events);
      expect(d.allocations.map((a) => a.invoiceId)).toEqual([INV_A, INV_B]);
      expect(d.matching).toBeUndefined();
    }));
});
