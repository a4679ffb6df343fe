import { Inject, Injectable } from '@nestjs/common';
import { EventMetadata } from '@crm/contracts';
import { ChangeChurnPolicy, ChurnPolicy, churnPolicyDecider, ChurnPolicyEvent } from '@crm/engagement-domain';
import { CommandHandler } from '@crm/eventing';
import { provideCommandHandler } from '@crm/platform';

const POLICY_STREAM = 'churn-policy';
const POLICY_HANDLER = Symbol('CHURN_POLICY_HANDLER');

export const churnPolicyCommandHandler = provideCommandHandler(POLICY_HANDLER, {
  name: 'churn-policy', decider: churnPolicyDecider, snapshots: { schemaVersion: 1 },
});

/** The versioned churn rules (stream `churn-policy`): scoring reads the current version and cites it. */
@Injectable()
export class ChurnPolicies {
  constructor(@Inject(POLICY_HANDLER) private readonly handler: CommandHandler<ChurnPolicy, ChangeChurnPolicy, ChurnPolicyEvent>) {}

  async current(): Promise<ChurnPolicy> {
    const { state } = await this.handler.load(POLICY_STREAM);
    return { version: state.version, weights: { ...state.weights }, flagAt: state.flagAt, clearBelow: state.clearBelow };
  }

  change(rules: Omit<ChangeChurnPolicy['data'], 'changedBy'>, options: { metadata: EventMetadata; now: string; idempotencyKey?: string; request?: unknown })
    : Promise<{ version: number; changed: boolean }> {
    return this.handler.execute({
      streamId: POLICY_STREAM, partitionKey: POLICY_STREAM,
      command: { type: 'ChangeChurnPolicy', data: { ...rules, changedBy: options.metadata.actor.id } },
      metadata: { ...options.metadata, command: 'ChangeChurnPolicy' }, now: options.now,
      idempotency: options.idempotencyKey ? { scope: 'ChangeChurnPolicy', key: options.idempotencyKey, request: options.request ?? null } : undefined,
      respond: (events, version) => ({ version: events[0]?.data.version ?? version, changed: events.length > 0 }),
    });
  }
}
