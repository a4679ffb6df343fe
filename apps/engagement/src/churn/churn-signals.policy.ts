import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, eventsTopic, isEventOf } from '@crm/contracts';
import { applyChurnSourceEvent, isChurnSourceEvent } from '@crm/engagement-domain';
import { Policy, PolicyCommand, PolicyEventContext } from '@crm/eventing';
import { businessDate, SERVICE_CONFIG, ServiceConfig } from '@crm/platform';
import { ChurnFactsStore } from './churn-facts.store';
import { ChurnRisks } from './churn-risks';

export const CHURN_ACTOR = 'churn-signals-policy';
const later = (a: string, b: string | null) => (b !== null && b > a ? b : a);

/**
 * Recomputes a customer's churn risk when a signal's source event arrives: purchases from
 * receivables, surveys, SLA breaches, resolutions and interactions from engagement's own topic,
 * the ABC class from customers. The facts change in the consumer's transaction (exactly once,
 * the customer's row locked), then one ScoreChurnRisk as of the event's business date.
 */
@Injectable()
export class ChurnSignalsPolicy implements Policy {
  readonly name = 'churn-signals';
  readonly topics: string[];

  constructor(
    private readonly facts: ChurnFactsStore,
    private readonly risks: ChurnRisks,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.topics = (['receivables', 'engagement', 'customers'] as const).map((service) => eventsTopic(service, config.kafkaTopicPrefix));
  }

  reactsTo(event: EventEnvelope): boolean {
    return isChurnSourceEvent(event);
  }

  async handle(event: EventEnvelope, { tx }: PolicyEventContext): Promise<PolicyCommand[]> {
    if (!isChurnSourceEvent(event)) return [];
    const customerId = event.data.customerId;
    const on = this.dateOf(event);
    const { facts, lastScoredAt } = await this.facts.lock(customerId, tx);
    applyChurnSourceEvent(facts, event, on);
    // Business time of the decision: the event's, never before the last score (readers order flags by time).
    const now = later(event.time, lastScoredAt);
    await this.facts.save(facts, on, now, tx);
    return [{
      key: 'score',
      send: (context) => this.risks.score(customerId, {
        facts, on, causedBy: event.id, now,
        metadata: { actor: { id: CHURN_ACTOR, roles: [] }, correlationId: context.correlationId, causationId: context.causationId },
        idempotencyKey: context.idempotencyKey, request: { causedBy: event.id, on },
      }),
    }];
  }

  /** The business date the event happened on, in the business time zone for instants. */
  private dateOf(event: EventEnvelope): string {
    const day = (instant: string) => businessDate(new Date(instant), this.config.businessTimeZone);
    if (isEventOf(event, 'InvoiceIssued')) return event.data.issueDate;
    if (isEventOf(event, 'SurveyResponseRecorded')) return event.data.respondedOn ?? day(event.data.respondedAt);
    if (isEventOf(event, 'ComplaintSlaBreached')) return day(event.data.detectedAt);
    if (isEventOf(event, 'ComplaintResolved')) return day(event.data.resolvedAt);
    if (isEventOf(event, 'InteractionRecorded')) return day(event.data.occurredAt);
    if (isEventOf(event, 'CustomerAbcClassChanged')) return event.data.businessDate;
    return day(event.time);
  }
}
