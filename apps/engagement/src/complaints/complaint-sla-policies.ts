import { Inject, Injectable } from '@nestjs/common';
import { EventMetadata } from '@crm/contracts';
import { ChangeComplaintSlaPolicy, ComplaintSlaPolicy, complaintSlaPolicyDecider, ComplaintSlaPolicyEvent } from '@crm/engagement-domain';
import { CommandHandler } from '@crm/eventing';
import { provideCommandHandler } from '@crm/platform';

const POLICY_STREAM = 'complaint-sla-policy';
const POLICY_HANDLER = Symbol('COMPLAINT_SLA_POLICY_HANDLER');

export const complaintSlaPolicyHandler = provideCommandHandler(POLICY_HANDLER, {
  name: 'complaint-sla-policy', decider: complaintSlaPolicyDecider, snapshots: { schemaVersion: 1 },
});

/** The versioned SLA hours (one stream of `ComplaintSlaPolicyChanged`): a complaint is raised under the version in force, which it records. */
@Injectable()
export class ComplaintSlaPolicies {
  constructor(@Inject(POLICY_HANDLER) private readonly handler: CommandHandler<ComplaintSlaPolicy, ChangeComplaintSlaPolicy, ComplaintSlaPolicyEvent>) {}

  async current(): Promise<ComplaintSlaPolicy> {
    const { state } = await this.handler.load(POLICY_STREAM);
    return { version: state.version, hoursByClass: structuredClone(state.hoursByClass) };
  }

  change(hoursByClass: ComplaintSlaPolicy['hoursByClass'], options: { metadata: EventMetadata; now: string; today: string; idempotencyKey?: string; request?: unknown })
    : Promise<{ version: number; changed: boolean }> {
    return this.handler.execute({
      streamId: POLICY_STREAM, partitionKey: POLICY_STREAM,
      command: { type: 'ChangeComplaintSlaPolicy', data: { hoursByClass, changedBy: options.metadata.actor.id, changedOn: options.today } },
      metadata: { ...options.metadata, command: 'ChangeComplaintSlaPolicy' }, now: options.now,
      idempotency: options.idempotencyKey ? { scope: 'ChangeComplaintSlaPolicy', key: options.idempotencyKey, request: options.request ?? null } : undefined,
      respond: (events, version) => ({ version: events[0]?.data.version ?? version, changed: events.length > 0 }),
    });
  }
}
