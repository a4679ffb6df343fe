import { Inject, Injectable } from '@nestjs/common';
import { classificationPolicyDecider, ClassificationPolicyEvent, SetClassificationPolicy, VersionedClassificationPolicy } from '@crm/customers-domain';
import { PostgresEventStore } from '@crm/eventing';
import { EVENT_STORE, LOGGER, RuleChangeOptions, VersionedRules } from '@crm/platform';
import { Logger } from 'pino';

type ClassificationRules = Omit<SetClassificationPolicy['data'], 'changedBy'>;

/** The versioned classification rules (one stream of `ClassificationPolicyChanged`); version 0 is the default. */
@Injectable()
export class ClassificationPolicies extends VersionedRules<VersionedClassificationPolicy, SetClassificationPolicy, ClassificationPolicyEvent, ClassificationRules> {
  constructor(@Inject(EVENT_STORE) store: PostgresEventStore, @Inject(LOGGER) logger: Logger) {
    super(store, logger, 'customers-classification-policy', classificationPolicyDecider);
  }

  change(rules: ClassificationRules, options: RuleChangeOptions) {
    return this.record({ type: 'SetClassificationPolicy', data: { ...rules, changedBy: options.metadata.actor.id } }, options);
  }
}
