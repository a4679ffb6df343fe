import { Inject, Injectable } from '@nestjs/common';
import { EventMetadata } from '@crm/contracts';
import { ChangeLoyaltyPolicy, LoyaltyPolicy, loyaltyPolicyDecider, LoyaltyPolicyEvent, LoyaltyPolicyRules } from '@crm/engagement-domain';
import { CommandHandler } from '@crm/eventing';
import { provideCommandHandler } from '@crm/platform';

const POLICY_STREAM = 'loyalty-policy';
const POLICY_HANDLER = Symbol('LOYALTY_POLICY_HANDLER');

export const loyaltyPolicyCommandHandler = provideCommandHandler(POLICY_HANDLER, {
  name: 'loyalty-policy', decider: loyaltyPolicyDecider, snapshots: { schemaVersion: 1 },
});

/**
 * The versioned loyalty rules (stream `loyalty-policy`). Commands read the current version here
 * and hand it to the decider, which records the version in what it decides; the fold applies
 * the recorded decisions and never decides again.
 */
@Injectable()
export class LoyaltyPolicies {
  constructor(@Inject(POLICY_HANDLER) private readonly handler: CommandHandler<LoyaltyPolicy, ChangeLoyaltyPolicy, LoyaltyPolicyEvent>) {}

  async current(): Promise<LoyaltyPolicy> {
    const { state } = await this.handler.load(POLICY_STREAM);
    return { version: state.version, rules: state.rules };
  }

  change(rules: LoyaltyPolicyRules, options: { metadata: EventMetadata; now: string; idempotencyKey?: string; request?: unknown })
    : Promise<{ version: number; changed: boolean }> {
    return this.handler.execute({
      streamId: POLICY_STREAM, partitionKey: POLICY_STREAM,
      command: { type: 'ChangeLoyaltyPolicy', data: { rules, changedBy: options.metadata.actor.id } },
      metadata: { ...options.metadata, command: 'ChangeLoyaltyPolicy' }, now: options.now,
      idempotency: options.idempotencyKey ? { scope: 'ChangeLoyaltyPolicy', key: options.idempotencyKey, request: options.request ?? null } : undefined,
      respond: (events, version) => ({ version: events[0]?.data.version ?? version, changed: events.length > 0 }),
    });
  }
}
