import { Inject, Injectable } from '@nestjs/common';
import { ChangeLoyaltyPolicy, LoyaltyPolicy, loyaltyPolicyDecider, LoyaltyPolicyEvent, LoyaltyPolicyRules } from '@crm/engagement-domain';
import { PostgresEventStore } from '@crm/eventing';
import { EVENT_STORE, LOGGER, RuleChangeOptions, VersionedRules } from '@crm/platform';
import { Logger } from 'pino';

/**
 * The versioned loyalty rules (stream `loyalty-policy`). Commands read the current version here
 * and hand it to the decider, which records the version in what it decides; the fold applies
 * the recorded decisions and never decides again.
 */
@Injectable()
export class LoyaltyPolicies extends VersionedRules<LoyaltyPolicy, ChangeLoyaltyPolicy, LoyaltyPolicyEvent, LoyaltyPolicyRules> {
  constructor(@Inject(EVENT_STORE) store: PostgresEventStore, @Inject(LOGGER) logger: Logger) {
    super(store, logger, 'loyalty-policy', loyaltyPolicyDecider);
  }

  change(rules: LoyaltyPolicyRules, options: RuleChangeOptions) {
    return this.record({ type: 'ChangeLoyaltyPolicy', data: { rules, changedBy: options.metadata.actor.id } }, options);
  }
}
