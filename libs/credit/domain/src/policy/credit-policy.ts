import { CreditGrade, CreditPolicyRulesV1, domainError } from '@crm/contracts';

/** DOMAIN.md's defaults: in force until the first `CreditPolicyChanged` (policy version 0). */
export const DEFAULT_CREDIT_POLICY: CreditPolicyRulesV1 = {
  scoringWeights: {
    onTimeRatio: 30, averageDaysBeyondTerms: 15, worstDaysOverdue: 10, writeOffs: 10,
    annualRevenue: 10, debtRatio: 10, currentRatio: 10, yearsInBusiness: 5,
  },
  gradeCutoffs: { A: 80, B: 65, C: 50 },
  maxPaymentTermsDays: { A: 60, B: 45, C: 30, D: 0 },
  secondApproverThreshold: 100_000_000,
  holdRules: { exposureOverLimit: true, maxDaysOverdue: 60, dunningLevel: 3 },
  reviewIntervalMonths: 12,
};

/** The rules a decision applies, and the version it cites. */
export interface CreditPolicy {
  version: number;
  rules: CreditPolicyRulesV1;
}

export const defaultCreditPolicy = (): CreditPolicy => ({ version: 0, rules: DEFAULT_CREDIT_POLICY });

/** Rules that each field's own range cannot catch: how the parts fit together. */
export function assertCoherentPolicy(rules: CreditPolicyRulesV1): void {
  const total = Object.values(rules.scoringWeights).reduce((n, w) => n + w, 0);
  if (total !== 100) {
    throw domainError('invalid-credit-policy', 'invalid', `scoring weights must add up to 100 (the score is 0–100); they add up to ${total}`, 'scoringWeights');
  }
  const { A, B, C } = rules.gradeCutoffs;
  if (!(A > B && B > C && C > 0)) {
    throw domainError('invalid-credit-policy', 'invalid', `grade cut-offs must fall from A to C and stay above 0; got A ${A}, B ${B}, C ${C}`, 'gradeCutoffs');
  }
  const terms = rules.maxPaymentTermsDays;
  if (!(terms.A >= terms.B && terms.B >= terms.C && terms.C >= terms.D)) {
    throw domainError('invalid-credit-policy', 'invalid',
      `payment terms must not rise as grades fall (A ≥ B ≥ C ≥ D); got A ${terms.A}, B ${terms.B}, C ${terms.C}, D ${terms.D}`, 'maxPaymentTermsDays');
  }
}

/** Highest grade first: the grade of a score is the first whose cut-off it reaches. */
export function gradeFor(score: number, cutoffs: CreditPolicyRulesV1['gradeCutoffs']): CreditGrade {
  if (score >= cutoffs.A) return 'A';
  if (score >= cutoffs.B) return 'B';
  if (score >= cutoffs.C) return 'C';
  return 'D';
}
