import { versionedPolicyController } from '@crm/platform';
import { SegmentPolicies } from './segment-policies';
import { SegmentPolicyDto } from './segment-policy.dto';
import { SegmentPolicyAnswerDto, SegmentPolicyChangedDto } from '../answers/receivables-answers.dto';

/**
 * The worklist segment rules in force (low-hanging fruit, at risk, deprioritized): each PUT a new version, cited by every worklist row it places.
 * A PUT records `WorklistSegmentPolicyChanged` with the next version when a threshold differs; the same rules again record nothing.
 */
export class SegmentPolicyController extends versionedPolicyController({
  path: 'v1/collections/segment-policy', tag: 'collection', policies: SegmentPolicies,
  read: { answer: SegmentPolicyAnswerDto, roles: ['collector', 'credit_manager', 'auditor'], summary: 'The worklist segment rules in force and their version (1 until the first change)' },
  change: {
    answer: SegmentPolicyChangedDto, roles: ['credit_manager'], body: SegmentPolicyDto, echoRules: true,
    summary: 'Replace the worklist segment rules: a new version when they differ (a late threshold not above the punctual one: 400 segment-rules-overlap)',
    rules: ({ usuallyPays, smallBalance, nearLimit, severalDunningLevels, habituallyLate }) => ({
      usuallyPays: { minPaidInvoices: usuallyPays.minPaidInvoices, maxMedianDaysLate: usuallyPays.maxMedianDaysLate },
      smallBalance: { maxOutstanding: smallBalance.maxOutstanding },
      nearLimit: { minUtilization: nearLimit.minUtilization },
      severalDunningLevels: { minLevel: severalDunningLevels.minLevel },
      habituallyLate: { minPaidInvoices: habituallyLate.minPaidInvoices, minMedianDaysLate: habituallyLate.minMedianDaysLate },
    }),
  },
}) {}
