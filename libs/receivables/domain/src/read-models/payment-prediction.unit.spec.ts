import { PaidInvoice, predictPaymentDate } from './payment-prediction';

const paid = (n: number, daysLate: number, extra: Partial<PaidInvoice> = {}): PaidInvoice => ({
  invoiceId: `inv-${n}`, dueDate: '2026-01-31', paidOn: `2026-0${1 + Math.floor(n / 28)}-${String(1 + (n % 28)).padStart(2, '0')}`, daysLate, termsDays: 30, disputed: false, ...extra });
const invoice = { issueDate: '2026-03-01', dueDate: '2026-03-31', disputed: false };

describe('predicted payment date', () => {
  it('adds the weighted median of days late, latest weighing most, with its inputs', () => {
    // Latest (paidOn largest) first: 20, 20, 2, 2, 2 → weights 1, .8, .64, .512, .41: median 20 wins by recency.
    const history = [paid(1, 2), paid(2, 2), paid(3, 2), paid(4, 20), paid(5, 20)];
    const { predictedPaymentDate, predictionBasis } = predictPaymentDate(invoice, history, '2026-03-01');
    expect(predictedPaymentDate).toBe('2026-04-20');
    expect(predictionBasis).toMatchObject({ paidInvoices: 5, medianDaysLate: 20, spreadDays: 0, disputeDays: 0, reason: null });
    expect(predictionBasis.inputs.map((i) => [i.invoiceId, i.weight])).toEqual([['inv-5', 1], ['inv-4', 0.8], ['inv-3', 0.64], ['inv-2', 0.512], ['inv-1', 0.41]]);
  });

  it('reads only the last ten paid invoices', () => {
    const history = [...Array.from({ length: 10 }, (_, n) => paid(n + 20, 3)), ...Array.from({ length: 10 }, (_, n) => paid(n, 40))];
    expect(predictPaymentDate(invoice, history, '2026-03-01').predictionBasis).toMatchObject({ paidInvoices: 10, medianDaysLate: 3 });
  });

  it('scales lateness to the invoice\'s terms, waits longer on a dispute, and never predicts a past date', () => {
    const sixty = predictPaymentDate({ issueDate: '2026-03-01', dueDate: '2026-04-30', disputed: false }, [paid(1, 10)], '2026-03-01');
    expect(sixty.predictionBasis.medianDaysLate).toBe(20);
    const disputed = predictPaymentDate({ ...invoice, disputed: true }, [paid(1, 10), paid(2, 30, { disputed: true })], '2026-03-01');
    expect(disputed.predictionBasis).toMatchObject({ medianDaysLate: 30, disputeDays: 0 });
    const disputedNoHistory = predictPaymentDate({ ...invoice, disputed: true }, [paid(1, 10), paid(2, 14), paid(3, 12)], '2026-03-01');
    expect(disputedNoHistory.predictionBasis).toMatchObject({ medianDaysLate: 12, spreadDays: 2, disputeDays: 2 });
    expect(predictPaymentDate(invoice, [paid(1, 5)], '2026-05-01').predictedPaymentDate).toBe('2026-05-02');
  });

  it('predicts nothing without a paid invoice, saying why', () => {
    expect(predictPaymentDate(invoice, [], '2026-03-01')).toEqual({ predictedPaymentDate: null,
      predictionBasis: expect.objectContaining({ reason: 'no-payment-history', paidInvoices: 0 }) });
  });
});
