import { Inject, Injectable } from '@nestjs/common';
import { EventMetadata } from '@crm/contracts';
import { ChurnFacts, ChurnRiskCommand, churnRiskDecider, ChurnRiskEvent, ChurnRiskState } from '@crm/engagement-domain';
import { CommandHandler } from '@crm/eventing';
import { provideCommandHandler } from '@crm/platform';
import { EngagementCustomers } from '../customer-directory/engagement-customers';
import { ChurnPolicies } from './churn-policies';

export const churnStream = (customerId: string) => `churn-${customerId}`;
const CHURN_RISK_HANDLER = Symbol('CHURN_RISK_HANDLER');

export const churnRiskCommandHandler = provideCommandHandler(CHURN_RISK_HANDLER, {
  name: 'churn-risk', decider: churnRiskDecider,
  // Bump when the churn state's shape or evolve changes: older snapshots are then ignored.
  snapshots: { schemaVersion: 1 },
});

export interface ScoreOptions {
  facts: ChurnFacts;
  on: string;
  causedBy: string | null;
  metadata: EventMetadata;
  now: string;
  idempotencyKey: string;
  request: unknown;
}

/** Scores one customer's facts under the policy in force, with the account manager engagement knows. */
@Injectable()
export class ChurnRisks {
  constructor(
    @Inject(CHURN_RISK_HANDLER) private readonly handler: CommandHandler<ChurnRiskState, ChurnRiskCommand, ChurnRiskEvent>,
    private readonly policies: ChurnPolicies,
    private readonly customers: EngagementCustomers,
  ) {}

  async score(customerId: string, options: ScoreOptions): Promise<string[]> {
    const [policy, customer] = await Promise.all([this.policies.current(), this.customers.find(customerId)]);
    return this.handler.execute({
      streamId: churnStream(customerId), partitionKey: customerId,
      command: {
        type: 'ScoreChurnRisk',
        data: { customerId, facts: options.facts, on: options.on, causedBy: options.causedBy, accountManager: customer?.accountManager ?? null },
        context: { policy },
      },
      metadata: { ...options.metadata, command: 'ScoreChurnRisk' },
      now: options.now,
      idempotency: { scope: 'ScoreChurnRisk', key: options.idempotencyKey, request: options.request },
      respond: (events) => events.map((e) => e.type),
    });
  }
}
