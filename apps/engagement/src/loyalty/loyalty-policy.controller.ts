import { versionedPolicyController } from '@crm/platform';
import { LoyaltyPolicies } from './loyalty-policies';
import { loyaltyRulesChangedBy } from './loyalty-policy-change';
import { LoyaltyPolicyDto } from './loyalty.dto';
import { ENGAGEMENT_READERS } from '../engagement-roles';
import { LOYALTY_POLICY, LOYALTY_POLICY_CHANGED } from '../answers/engagement-answers';

/**
 * The loyalty rules in force: earning rates, tier thresholds (per currency if set), expiry, downgrade grace.
 * A PUT records `LoyaltyPolicyChanged` with the next version; later decisions cite it, earlier ones keep theirs.
 */
export class LoyaltyPolicyController extends versionedPolicyController({
  path: 'v1/loyalty/policy', tag: 'loyalty policy', policies: LoyaltyPolicies,
  read: {
    answer: LOYALTY_POLICY, roles: ENGAGEMENT_READERS, summary: 'The loyalty policy in force: tiers, thresholds, points, expiry, downgrade grace',
    view: ({ version, rules }) => ({ version, ...rules }),
  },
  change: {
    answer: LOYALTY_POLICY_CHANGED, roles: ['admin'], body: LoyaltyPolicyDto, echoRules: true,
    summary: 'Change the loyalty policy: a new version when the rules differ',
    rules: (body, { rules }) => loyaltyRulesChangedBy(rules, body),
  },
}) {}
