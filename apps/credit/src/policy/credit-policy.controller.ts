import { mergeSent, versionedPolicyController } from '@crm/platform';
import { CreditPolicies } from './credit-policies';
import { CreditPolicyDto } from './credit-policy.dto';
import { CreditPolicyAnswerDto, CreditPolicyChangedDto } from '../answers/credit-answers.dto';

/**
 * The credit rules in force: scoring weights, grade cut-offs, terms per grade, the second-approver threshold, hold rules.
 * A PUT records `CreditPolicyChanged` with the next version; later decisions cite it, earlier ones keep theirs.
 */
export class CreditPolicyController extends versionedPolicyController({
  path: 'v1/credit/policy', tag: 'credit policy', policies: CreditPolicies,
  read: {
    answer: CreditPolicyAnswerDto, roles: ['credit_manager', 'sales', 'auditor'],
    summary: 'The credit policy in force: scoring weights, grade cut-offs, terms per grade, approval threshold, hold rules',
    view: ({ version, rules }) => ({ version, ...rules }),
  },
  change: {
    answer: CreditPolicyChangedDto, roles: ['admin'], body: CreditPolicyDto, echoRules: true,
    summary: 'Change the credit policy (a merge of the fields sent): a new version when the rules differ',
    rules: (body, { rules }) => ({
      scoringWeights: mergeSent(rules.scoringWeights, body.scoringWeights),
      gradeCutoffs: mergeSent(rules.gradeCutoffs, body.gradeCutoffs),
      maxPaymentTermsDays: mergeSent(rules.maxPaymentTermsDays, body.maxPaymentTermsDays),
      secondApproverThreshold: body.secondApproverThreshold ?? rules.secondApproverThreshold,
      holdRules: mergeSent(rules.holdRules, body.holdRules),
      reviewIntervalMonths: body.reviewIntervalMonths ?? rules.reviewIntervalMonths,
    }),
  },
}) {}
