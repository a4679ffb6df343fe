import { CHURN_SIGNALS } from '@crm/contracts';
import { versionedPolicyController } from '@crm/platform';
import { ChurnPolicies } from './churn-policies';
import { ChurnPolicyDto } from './churn.dto';
import { CHURN_POLICY, CHURN_POLICY_CHANGED } from '../answers/engagement-answers';

/**
 * The churn rules in force: points per signal, the flag threshold and the (lower) clear threshold.
 * A PUT records `ChurnPolicyChanged` with the next version; later scores cite it, earlier ones keep theirs.
 */
export class ChurnPolicyController extends versionedPolicyController({
  path: 'v1/churn/policy', tag: 'churn risk', policies: ChurnPolicies,
  read: { answer: CHURN_POLICY, roles: ['account_manager', 'sales', 'auditor', 'admin'], summary: 'The churn policy in force: signal weights and thresholds' },
  change: {
    answer: CHURN_POLICY_CHANGED, roles: ['admin'], body: ChurnPolicyDto, echoRules: true,
    summary: 'Change the churn policy: a new version when the rules differ',
    rules: (body, current) => ({
      weights: Object.fromEntries(CHURN_SIGNALS.map((s) => [s, body.weights?.[s] ?? current.weights[s]])) as typeof current.weights,
      flagAt: body.flagAt ?? current.flagAt,
      clearBelow: body.clearBelow ?? current.clearBelow,
    }),
  },
}) {}
