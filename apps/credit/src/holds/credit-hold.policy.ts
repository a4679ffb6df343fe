import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, eventsTopic } from '@crm/contracts';
import {
  applyReceivablesEvent, HOLD_POLICY_ACTOR, HoldFacts, holdFactsOf, initialFacts, isReceivablesAccountEvent, sameHoldFacts,
} from '@crm/credit-domain';
import { Policy, PolicyCommand, PolicyCommandContext, PolicyEventContext } from '@crm/eventing';
import { businessDate, SERVICE_CONFIG, ServiceConfig } from '@crm/platform';
import { CreditAccounts } from '../account/credit-accounts';
import { ReceivablesFactsStore } from '../facts/receivables-facts.store';
import { CreditPolicies } from '../policy/credit-policies';

const POLICY = 'credit-hold';
const withoutExposureEventIds = ({ exposureEventIds: _ids, ...facts }: HoldFacts) => facts;

/**
 * Automatic holds: each receivables event of a customer updates credit's copy of the facts (in
 * the consumer's transaction, so exactly once and in the account's order), and when anything
 * the hold rules read has changed, sends `EvaluateHold` with the facts as of that event and
 * its id. The decider applies the current policy's hold rules; a redelivery finds the first
 * answer by the idempotency key, and facts older than the last decision's are ignored.
 */
@Injectable()
export class CreditHoldPolicy implements Policy {
  readonly name = POLICY;
  readonly topics: string[];

  constructor(
    private readonly accounts: CreditAccounts,
    private readonly policies: CreditPolicies,
    private readonly facts: ReceivablesFactsStore,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.topics = [eventsTopic('receivables', config.kafkaTopicPrefix)];
  }

  reactsTo(event: EventEnvelope): boolean {
    return isReceivablesAccountEvent(event);
  }

  async handle(event: EventEnvelope, { tx }: PolicyEventContext): Promise<PolicyCommand[]> {
    if (!isReceivablesAccountEvent(event)) return [];
    const customerId = event.subject;
    const facts = (await this.facts.load(customerId, tx)) ?? initialFacts(customerId);
    // Safe on history: an event the copy already holds changes nothing and decides nothing.
    if (event.streamVersion <= facts.version) return [];
    const before = holdFactsOf(facts, []);
    applyReceivablesEvent(facts, event);
    await this.facts.save(facts, tx);
    const after = holdFactsOf(facts, [event.id]);
    if (sameHoldFacts(before, after)) return [];
    return [{ key: 'evaluate', send: (context) => this.evaluate(customerId, after, event, context) }];
  }

  private async evaluate(customerId: string, facts: HoldFacts, event: EventEnvelope, context: PolicyCommandContext) {
    const on = businessDate(new Date(event.time), this.config.businessTimeZone);
    return this.accounts.execute(customerId, { type: 'EvaluateHold', data: { facts, on }, context: { policy: await this.policies.current() } }, {
      metadata: { actor: { id: HOLD_POLICY_ACTOR, roles: [] }, correlationId: context.correlationId, causationId: context.causationId },
      // Business time of the decision, from the causing event: it is what the facts are as of.
      now: event.time,
      idempotencyKey: context.idempotencyKey,
      // The exposure's event ids are derived from the rest (and newer than some recorded requests): left out of the request's hash.
      request: { facts: withoutExposureEventIds(facts), on },
      respond: (events) => events.map((e) => e.type),
    });
  }
}
