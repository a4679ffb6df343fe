import { Inject, Injectable } from '@nestjs/common';
import { ChangeComplaintSlaPolicy, ComplaintSlaPolicy, complaintSlaPolicyDecider, ComplaintSlaPolicyEvent } from '@crm/engagement-domain';
import { PostgresEventStore } from '@crm/eventing';
import { EVENT_STORE, LOGGER, RuleChangeOptions, VersionedRules } from '@crm/platform';
import { Logger } from 'pino';

/** The versioned SLA hours (one stream of `ComplaintSlaPolicyChanged`): a complaint is raised under the version in force, which it records. */
@Injectable()
export class ComplaintSlaPolicies extends VersionedRules<ComplaintSlaPolicy, ChangeComplaintSlaPolicy, ComplaintSlaPolicyEvent, Pick<ComplaintSlaPolicy, 'hoursByClass'>> {
  constructor(@Inject(EVENT_STORE) store: PostgresEventStore, @Inject(LOGGER) logger: Logger) {
    super(store, logger, 'complaint-sla-policy', complaintSlaPolicyDecider);
  }

  change({ hoursByClass }: Pick<ComplaintSlaPolicy, 'hoursByClass'>, options: RuleChangeOptions) {
    return this.record({ type: 'ChangeComplaintSlaPolicy', data: { hoursByClass, changedBy: options.metadata.actor.id, changedOn: options.today } }, options);
  }
}
