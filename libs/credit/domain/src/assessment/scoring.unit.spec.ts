import { PaymentHistoryV1 } from '@crm/contracts';
import { DEFAULT_CREDIT_POLICY, gradeFor } from '../policy/credit-policy';
import { Financials, scoreCustomer } from './scoring';

const history = (over: Partial<PaymentHistoryV1> = {}): PaymentHistoryV1 => ({
  factsVersion: 9, asOfDate: '2026-06-30', invoices: 10, settledInvoices: 10, onTimeInvoices: 10, onTimeRatio: 1,
  averageDaysBeyondTerms: 0, worstDaysOverdue: 0, writeOffs: 0, ...over,
});
const strong: Financials = { annualRevenue: 10_000_000_000, debtRatio: 0.5, currentRatio: 2, yearsInBusiness: 10, asOf: '2025-12-31' };

describe('scoring', () => {
  it('gives full marks for a perfect payer with strong financials; the score is the sum of the factors', () => {
    const { score, grade, factors } = scoreCustomer(history(), strong, DEFAULT_CREDIT_POLICY);
    expect([score, grade]).toEqual([100, 'A']);
    expect(factors.reduce((n, f) => n + f.points, 0)).toBe(score);
    expect(factors.map((f) => [f.name, f.points])).toEqual([['onTimeRatio', 30], ['averageDaysBeyondTerms', 15], ['worstDaysOverdue', 10], ['writeOffs', 10],
      ['annualRevenue', 10], ['debtRatio', 10], ['currentRatio', 10], ['yearsInBusiness', 5]]);
  });

  it('takes points off for late payment, overdue days and write-offs, keeping each input', () => {
    const { score, factors } = scoreCustomer(history({ onTimeInvoices: 5, onTimeRatio: 0.5, averageDaysBeyondTerms: 15, worstDaysOverdue: 45, writeOffs: 1 }), strong, DEFAULT_CREDIT_POLICY);
    expect(factors.slice(0, 4).map((f) => [f.input, f.points])).toEqual([[0.5, 15], [15, 8], [45, 5], [1, 0]]);
    expect(score).toBe(15 + 8 + 5 + 0 + 35);
  });

  it('scores financial bands: weak financials earn little', () => {
    const weak: Financials = { annualRevenue: 5_000_000, debtRatio: 4, currentRatio: 0.4, yearsInBusiness: 0, asOf: '2025-12-31' };
    expect(scoreCustomer(history(), weak, DEFAULT_CREDIT_POLICY).factors.slice(4).map((f) => f.points)).toEqual([0, 0, 0, 0]);
    const middling: Financials = { annualRevenue: 100_000_000, debtRatio: 1.5, currentRatio: 1.2, yearsInBusiness: 3, asOf: '2025-12-31' };
    expect(scoreCustomer(history(), middling, DEFAULT_CREDIT_POLICY).factors.slice(4).map((f) => f.points)).toEqual([5, 5, 5, 3]);
  });

  it('is neutral on payment factors without history, and says so', () => {
    const { score, grade, factors } = scoreCustomer(history({ invoices: 0, settledInvoices: 0, onTimeInvoices: 0, onTimeRatio: null, averageDaysBeyondTerms: null, worstDaysOverdue: null }), null, DEFAULT_CREDIT_POLICY);
    expect([score, grade]).toEqual([33, 'D']);
    expect(factors.map((f) => f.note)).toEqual([...Array(4).fill('no payment history: neutral points'), ...Array(4).fill('no financials on record: no points')]);
  });

  it('weights come from the policy', () => {
    const heavy = { ...DEFAULT_CREDIT_POLICY, scoringWeights: { ...DEFAULT_CREDIT_POLICY.scoringWeights, onTimeRatio: 60, annualRevenue: 0, debtRatio: 0, currentRatio: 0, yearsInBusiness: 0, averageDaysBeyondTerms: 20 } };
    expect(scoreCustomer(history({ onTimeRatio: 0.5 }), strong, heavy).score).toBe(30 + 20 + 10 + 10);
  });

  it.each([[80, 'A'], [79, 'B'], [65, 'B'], [64, 'C'], [50, 'C'], [49, 'D'], [0, 'D']] as const)('grades %i as %s', (score, grade) =>
    expect(gradeFor(score, DEFAULT_CREDIT_POLICY.gradeCutoffs)).toBe(grade));
});
