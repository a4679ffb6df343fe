import { Inject, Injectable } from '@nestjs/common';
import { classificationPolicyDecider, ClassificationPolicyEvent, SetClassificationPolicy, VersionedClassificationPolicy } from '@crm/customers-domain';
import { PostgresEventStore } from '@crm/eventing';
import { EVENT_STORE, LOGGER, RuleChangeOptions, VersionedRules } from '@crm/platform';
import { Logger } from 'pino';

/** The versioned classification rules (one stream of `ClassificationPolicyChanged`); version 0 is the default. */
@Injectable()
export class ClassificationPolicies extends VersionedRules<VersionedClassificationPolicy, SetClassificationPolicy, ClassificationPolicyEvent> {
  constructor(@Inject(EVENT_STORE) store: PostgresEventStore, @Inject(LOGGER) logger: Logger) {
    super(store, logger, 'customers-classification-policy', classificationPolicyDecider);
  }

  set(data: SetClassificationPolicy['data'], options: RuleChangeOptions) {
    return this.record({ type: 'SetClassificationPolicy', data }, options);
  }
}
