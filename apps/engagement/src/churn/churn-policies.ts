import { Inject, Injectable } from '@nestjs/common';
import { ChangeChurnPolicy, ChurnPolicy, churnPolicyDecider, ChurnPolicyEvent } from '@crm/engagement-domain';
import { PostgresEventStore } from '@crm/eventing';
import { EVENT_STORE, LOGGER, RuleChangeOptions, VersionedRules } from '@crm/platform';
import { Logger } from 'pino';

type ChurnRules = Omit<ChangeChurnPolicy['data'], 'changedBy'>;

/** The versioned churn rules (stream `churn-policy`): scoring reads the current version and cites it. */
@Injectable()
export class ChurnPolicies extends VersionedRules<ChurnPolicy, ChangeChurnPolicy, ChurnPolicyEvent, ChurnRules> {
  constructor(@Inject(EVENT_STORE) store: PostgresEventStore, @Inject(LOGGER) logger: Logger) {
    super(store, logger, 'churn-policy', churnPolicyDecider);
  }

  change(rules: ChurnRules, options: RuleChangeOptions) {
    return this.record({ type: 'ChangeChurnPolicy', data: { ...rules, changedBy: options.metadata.actor.id } }, options);
  }
}
