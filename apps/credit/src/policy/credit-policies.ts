import { Inject, Injectable } from '@nestjs/common';
import { CreditPolicyRulesV1, EventMetadata } from '@crm/contracts';
import { ChangeCreditPolicy, CreditPolicy, creditPolicyDecider, CreditPolicyEvent } from '@crm/credit-domain';
import { CommandHandler } from '@crm/eventing';
import { provideCommandHandler } from '@crm/platform';

const POLICY_STREAM = 'credit-policy';
const POLICY_HANDLER = Symbol('CREDIT_POLICY_HANDLER');

export const creditPolicyCommandHandler = provideCommandHandler(POLICY_HANDLER, {
  name: 'credit-policy', decider: creditPolicyDecider, snapshots: { schemaVersion: 1 },
});

/**
 * The versioned credit rules (one stream of `CreditPolicyChanged`). Commands read the current
 * version here and hand it to the decider, which records the version in what it decides.
 */
@Injectable()
export class CreditPolicies {
  constructor(@Inject(POLICY_HANDLER) private readonly handler: CommandHandler<CreditPolicy, ChangeCreditPolicy, CreditPolicyEvent>) {}

  async current(): Promise<CreditPolicy> {
    const { state } = await this.handler.load(POLICY_STREAM);
    return { version: state.version, rules: state.rules };
  }

  change(policy: CreditPolicyRulesV1, options: { metadata: EventMetadata; now: string; today: string; idempotencyKey?: string; request?: unknown })
    : Promise<{ version: number; changed: boolean }> {
    return this.handler.execute({
      streamId: POLICY_STREAM, partitionKey: POLICY_STREAM,
      command: { type: 'ChangeCreditPolicy', data: { policy, changedBy: options.metadata.actor.id, changedOn: options.today } },
      metadata: { ...options.metadata, command: 'ChangeCreditPolicy' }, now: options.now,
      idempotency: options.idempotencyKey ? { scope: 'ChangeCreditPolicy', key: options.idempotencyKey, request: options.request ?? null } : undefined,
      respond: (events, version) => ({ version: events[0]?.data.version ?? version, changed: events.length > 0 }),
    });
  }
}
