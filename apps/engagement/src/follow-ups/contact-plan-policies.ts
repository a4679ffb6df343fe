import { Inject, Injectable } from '@nestjs/common';
import { ChangeContactPlanPolicy, contactPlanPolicyDecider, ContactPlanPolicyEvent, ContactPlanRules } from '@crm/engagement-domain';
import { PostgresEventStore } from '@crm/eventing';
import { EVENT_STORE, LOGGER, RuleChangeOptions, VersionedRules } from '@crm/platform';
import { Logger } from 'pino';

/** The versioned contact-plan rules; commands read the version in force here and record it in what they decide. */
@Injectable()
export class ContactPlanPolicies extends VersionedRules<ContactPlanRules, ChangeContactPlanPolicy, ContactPlanPolicyEvent, Omit<ContactPlanRules, 'version'>> {
  constructor(@Inject(EVENT_STORE) store: PostgresEventStore, @Inject(LOGGER) logger: Logger) {
    super(store, logger, 'contact-plan-policy', contactPlanPolicyDecider);
  }

  change(rules: Omit<ContactPlanRules, 'version'>, options: RuleChangeOptions) {
    return this.record({ type: 'ChangeContactPlanPolicy', data: { ...rules, changedBy: options.metadata.actor.id } }, options);
  }
}
