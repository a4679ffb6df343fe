import { CreditFactorV1, CreditFinancialsRecordedV1, CreditGrade, CreditPolicyRulesV1, PaymentHistoryV1, ScoringWeightsV1 } from '@crm/contracts';
import { gradeFor } from '../policy/credit-policy';

export type Financials = Pick<CreditFinancialsRecordedV1, 'annualRevenue' | 'debtRatio' | 'currentRatio' | 'yearsInBusiness' | 'asOf'>;

/** Share of a factor's weight a customer without payment history gets: neither reward nor penalty. */
export const NO_HISTORY_SHARE = 0.5;

/** Bands: the first band a value reaches gives its share of the factor's weight. */
const REVENUE_BANDS = [[10_000_000_000, 1], [1_000_000_000, 0.75], [100_000_000, 0.5], [10_000_000, 0.25]] as const;
const CURRENT_RATIO_BANDS = [[2, 1], [1.5, 0.75], [1, 0.5], [0.5, 0.25]] as const;
const YEARS_BANDS = [[10, 1], [5, 0.75], [2, 0.5], [1, 0.25]] as const;
/** Debt ratio: lower is better, so these are upper bounds. */
const DEBT_RATIO_BANDS = [[0.5, 1], [1, 0.75], [2, 0.5], [3, 0.25]] as const;

const atLeast = (value: number, bands: ReadonlyArray<readonly [number, number]>) => bands.find(([min]) => value >= min)?.[1] ?? 0;
const atMost = (value: number, bands: ReadonlyArray<readonly [number, number]>) => bands.find(([max]) => value <= max)?.[1] ?? 0;

interface Part { name: keyof ScoringWeightsV1; input: number | null; share: number; note: string }

function historyParts(h: PaymentHistoryV1): Part[] {
  if (h.invoices === 0) {
    const note = 'no payment history: neutral points';
    return [
      { name: 'onTimeRatio', input: null, share: NO_HISTORY_SHARE, note },
      { name: 'averageDaysBeyondTerms', input: null, share: NO_HISTORY_SHARE, note },
      { name: 'worstDaysOverdue', input: null, share: NO_HISTORY_SHARE, note },
      { name: 'writeOffs', input: null, share: NO_HISTORY_SHARE, note },
    ];
  }
  const unsettled = 'no invoice settled yet: neutral points';
  return [
    h.onTimeRatio === null
      ? { name: 'onTimeRatio', input: null, share: NO_HISTORY_SHARE, note: unsettled }
      : { name: 'onTimeRatio', input: h.onTimeRatio, share: h.onTimeRatio, note: `${h.onTimeInvoices} of ${h.settledInvoices} settled invoices paid by their last due date` },
    h.averageDaysBeyondTerms === null
      ? { name: 'averageDaysBeyondTerms', input: null, share: NO_HISTORY_SHARE, note: unsettled }
      : { name: 'averageDaysBeyondTerms', input: h.averageDaysBeyondTerms, share: Math.max(0, 1 - h.averageDaysBeyondTerms / 30), note: 'full points at 0 days, none from 30' },
    { name: 'worstDaysOverdue', input: h.worstDaysOverdue ?? 0, share: Math.max(0, 1 - (h.worstDaysOverdue ?? 0) / 90), note: 'full points at 0 days, none from 90' },
    { name: 'writeOffs', input: h.writeOffs, share: h.writeOffs === 0 ? 1 : 0, note: h.writeOffs === 0 ? 'no invoice written off' : `${h.writeOffs} invoice(s) written off` },
  ];
}

function financialParts(f: Financials | null): Part[] {
  if (!f) {
    const note = 'no financials on record: no points';
    return (['annualRevenue', 'debtRatio', 'currentRatio', 'yearsInBusiness'] as const).map((name) => ({ name, input: null, share: 0, note }));
  }
  const asOf = `financials as of ${f.asOf}`;
  return [
    { name: 'annualRevenue', input: f.annualRevenue, share: atLeast(f.annualRevenue, REVENUE_BANDS), note: `${asOf}; full points from 10,000,000,000 minor units` },
    { name: 'debtRatio', input: f.debtRatio, share: atMost(f.debtRatio, DEBT_RATIO_BANDS), note: `${asOf}; full points up to 0.5, none above 3` },
    { name: 'currentRatio', input: f.currentRatio, share: atLeast(f.currentRatio, CURRENT_RATIO_BANDS), note: `${asOf}; full points from 2, none below 0.5` },
    { name: 'yearsInBusiness', input: f.yearsInBusiness, share: atLeast(f.yearsInBusiness, YEARS_BANDS), note: `${asOf}; full points from 10 years` },
  ];
}

/**
 * Score 0–100 as the sum of whole points per factor (weight × share, rounded), so the score is
 * exactly the sum of the factors it reports; the grade follows from the policy's cut-offs.
 */
export function scoreCustomer(history: PaymentHistoryV1, financials: Financials | null, rules: CreditPolicyRulesV1)
  : { score: number; grade: CreditGrade; factors: CreditFactorV1[] } {
  const factors = [...historyParts(history), ...financialParts(financials)].map((p): CreditFactorV1 => {
    const maxPoints = rules.scoringWeights[p.name];
    return { name: p.name, input: p.input, points: Math.round(maxPoints * p.share), maxPoints, note: p.note };
  });
  const score = factors.reduce((n, f) => n + f.points, 0);
  return { score, grade: gradeFor(score, rules.gradeCutoffs), factors };
}
