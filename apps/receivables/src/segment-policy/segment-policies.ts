import { Inject, Injectable } from '@nestjs/common';
import { PostgresEventStore } from '@crm/eventing';
import { EVENT_STORE, LOGGER, RuleChangeOptions, VersionedRules } from '@crm/platform';
import { ChangeSegmentPolicy, SegmentPolicyEvent, segmentPolicyDecider, SegmentRules } from '@crm/receivables-domain';
import { Logger } from 'pino';

/** The versioned worklist segment rules (one stream of `WorklistSegmentPolicyChanged`); version 1 is the default. */
@Injectable()
export class SegmentPolicies extends VersionedRules<SegmentRules, ChangeSegmentPolicy, SegmentPolicyEvent, Omit<SegmentRules, 'version'>> {
  constructor(@Inject(EVENT_STORE) store: PostgresEventStore, @Inject(LOGGER) logger: Logger) {
    super(store, logger, 'worklist-segment-policy', segmentPolicyDecider);
  }

  change(rules: Omit<SegmentRules, 'version'>, options: RuleChangeOptions) {
    return this.record({ type: 'ChangeSegmentPolicy', data: { ...rules, changedBy: options.metadata.actor.id, changedOn: options.today } }, options);
  }
}
