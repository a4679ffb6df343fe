import { Inject, Injectable } from '@nestjs/common';
import { CreditPolicyRulesV1 } from '@crm/contracts';
import { ChangeCreditPolicy, CreditPolicy, creditPolicyDecider, CreditPolicyEvent } from '@crm/credit-domain';
import { PostgresEventStore } from '@crm/eventing';
import { EVENT_STORE, LOGGER, RuleChangeOptions, VersionedRules } from '@crm/platform';
import { Logger } from 'pino';

/** The one stream of the credit policy's versions. */
export const CREDIT_POLICY_STREAM = 'credit-policy';

/**
 * The versioned credit rules (one stream of `CreditPolicyChanged`). Commands read the current
 * version here and hand it to the decider, which records the version in what it decides.
 */
@Injectable()
export class CreditPolicies extends VersionedRules<CreditPolicy, ChangeCreditPolicy, CreditPolicyEvent, CreditPolicyRulesV1> {
  constructor(@Inject(EVENT_STORE) store: PostgresEventStore, @Inject(LOGGER) logger: Logger) {
    super(store, logger, CREDIT_POLICY_STREAM, creditPolicyDecider);
  }

  change(policy: CreditPolicyRulesV1, options: RuleChangeOptions) {
    return this.record({ type: 'ChangeCreditPolicy', data: { policy, changedBy: options.metadata.actor.id, changedOn: options.today } }, options);
  }
}
