import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, eventsTopic, isEventOf } from '@crm/contracts';
import { AllocationPart, splitAllocation } from '@crm/engagement-domain';
import { Policy, PolicyCommand, PolicyCommandContext, PolicyEventContext } from '@crm/eventing';
import { SERVICE_CONFIG, ServiceConfig } from '@crm/platform';
import { LoyaltyAccounts } from './loyalty-accounts';
import { LoyaltyInvoicesStore } from './loyalty-invoices.store';
import { LoyaltyPolicies } from './loyalty-policies';

const POLICY = 'loyalty-points';
export const LOYALTY_POLICY_ACTOR = 'loyalty-points-policy';

/**
 * Points from receivables' payments: invoices' installments are kept (in the consumer's
 * transaction) so each allocation is split over the installments it pays, oldest unpaid first,
 * as receivables settles them; `EarnPoints` then applies the current loyalty policy. A reversal
 * sends `ReversePoints`. The runner's idempotency key (policy, event id, command) makes a
 * redelivery find the first answer.
 */
@Injectable()
export class LoyaltyPaymentsPolicy implements Policy {
  readonly name = POLICY;
  readonly topics: string[];

  constructor(
    private readonly accounts: LoyaltyAccounts,
    private readonly policies: LoyaltyPolicies,
    private readonly invoices: LoyaltyInvoicesStore,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.topics = [eventsTopic('receivables', config.kafkaTopicPrefix)];
  }

  reactsTo(event: EventEnvelope): boolean {
    return isEventOf(event, 'InvoiceIssued', 'CreditNoteIssued', 'PaymentReceived', 'PaymentReversed');
  }

  async handle(event: EventEnvelope, { tx }: PolicyEventContext): Promise<PolicyCommand[]> {
    if (isEventOf(event, 'InvoiceIssued')) {
      const d = event.data;
      await this.invoices.insert({ invoiceId: d.invoiceId, customerId: d.customerId, currency: d.currency, installments: d.installments, settled: 0 }, tx);
      return [];
    }
    if (isEventOf(event, 'CreditNoteIssued')) {
      await this.invoices.settle(event.data.invoiceId, event.data.amount, tx);
      return [];
    }
    if (isEventOf(event, 'PaymentReceived')) {
      const d = event.data;
      const known = await this.invoices.load(d.allocations.map((a) => a.invoiceId), tx);
      const parts: AllocationPart[] = [];
      for (const allocation of d.allocations) {
        parts.push(...splitAllocation(known.get(allocation.invoiceId), allocation, d.receivedOn));
        await this.invoices.settle(allocation.invoiceId, allocation.amount + allocation.discount, tx);
      }
      const command = { customerId: d.customerId, paymentId: d.paymentId, currency: d.currency, paidOn: d.receivedOn, parts };
      return [{ key: 'earn', send: async (context) => this.accounts.execute(d.customerId,
        { type: 'EarnPoints', data: command, context: { policy: await this.policies.current() } },
        { ...this.options(event, context), request: command, respond: (events) => events.map((e) => e.type) }) }];
    }
    if (isEventOf(event, 'PaymentReversed')) {
      const d = event.data;
      for (const a of d.allocations) await this.invoices.settle(a.invoiceId, -(a.amount + a.discount), tx);
      const command = { customerId: d.customerId, paymentId: d.paymentId, currency: d.currency, reversedOn: d.reversedOn,
        amount: d.allocations.reduce((n, a) => n + a.amount, 0) };
      return [{ key: 'reverse', send: async (context) => this.accounts.execute(d.customerId, { type: 'ReversePoints', data: command, context: { policy: await this.policies.current() } },
        { ...this.options(event, context), request: command, respond: (events) => events.map((e) => e.type) }) }];
    }
    return [];
  }

  private options(event: EventEnvelope, context: PolicyCommandContext) {
    return {
      metadata: { actor: { id: LOYALTY_POLICY_ACTOR, roles: [] }, correlationId: context.correlationId, causationId: context.causationId },
      // Business time of the decision is the payment's: a replay or a late consumer records the same.
      now: event.time,
      idempotencyKey: context.idempotencyKey,
    };
  }
}
