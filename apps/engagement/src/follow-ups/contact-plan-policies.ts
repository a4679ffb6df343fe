import { Inject, Injectable } from '@nestjs/common';
import { EventMetadata } from '@crm/contracts';
import { ChangeContactPlanPolicy, ContactPlanPolicyEvent, contactPlanPolicyDecider, ContactPlanRules } from '@crm/engagement-domain';
import { CommandHandler } from '@crm/eventing';
import { provideCommandHandler } from '@crm/platform';

const POLICY_STREAM = 'contact-plan-policy';
const POLICY_HANDLER = Symbol('CONTACT_PLAN_POLICY_HANDLER');

export const contactPlanPolicyCommandHandler = provideCommandHandler(POLICY_HANDLER, {
  name: 'contact-plan-policy', decider: contactPlanPolicyDecider, snapshots: { schemaVersion: 1 },
});

/** The versioned contact-plan rules; commands read the version in force here and record it in what they decide. */
@Injectable()
export class ContactPlanPolicies {
  constructor(@Inject(POLICY_HANDLER) private readonly handler: CommandHandler<ContactPlanRules, ChangeContactPlanPolicy, ContactPlanPolicyEvent>) {}

  async current(): Promise<ContactPlanRules> {
    const { state } = await this.handler.load(POLICY_STREAM);
    return { version: state.version, cadenceDays: { ...state.cadenceDays }, noticeDays: state.noticeDays, retentionDueInDays: state.retentionDueInDays };
  }

  change(rules: Omit<ContactPlanRules, 'version'>, options: { metadata: EventMetadata; now: string; idempotencyKey?: string; request?: unknown })
    : Promise<{ version: number; changed: boolean }> {
    return this.handler.execute({
      streamId: POLICY_STREAM, partitionKey: POLICY_STREAM,
      command: { type: 'ChangeContactPlanPolicy', data: { ...rules, changedBy: options.metadata.actor.id } },
      metadata: { ...options.metadata, command: 'ChangeContactPlanPolicy' }, now: options.now,
      idempotency: options.idempotencyKey ? { scope: 'ChangeContactPlanPolicy', key: options.idempotencyKey, request: options.request ?? null } : undefined,
      respond: (events, version) => ({ version: events[0]?.data.version ?? version, changed: events.length > 0 }),
    });
  }
}
