import { Inject, Injectable } from '@nestjs/common';
import { domainError } from '@crm/contracts';
import {
  creditAccountDecider, CreditAccountCommand, CreditAccountEvent, creditAccountLookups, CreditAccountState, nextReviewDue,
} from '@crm/credit-domain';
import { CommandHandler, PostgresEventStore } from '@crm/eventing';
import { CustomerStreams, EVENT_STORE, provideCommandHandler } from '@crm/platform';

export const creditStream = (customerId: string) => `credit-${customerId}`;
export const customerOfStream = (streamId: string) => streamId.slice('credit-'.length);

/** Schedule category of credit accounts: the day close records reviews that have come due. */
export const REVIEW_SCHEDULE = 'credit-review';
const CREDIT_ACCOUNT_HANDLER = Symbol('CREDIT_ACCOUNT_HANDLER');

export const creditAccountCommandHandler = provideCommandHandler(CREDIT_ACCOUNT_HANDLER, {
  name: 'credit-account',
  decider: creditAccountDecider,
  // Bump when evolveCreditAccount or CreditAccountState changes shape: older snapshots are then ignored.
  snapshots: { schemaVersion: 2 },
  lookups: creditAccountLookups,
  schedule: { category: REVIEW_SCHEDULE, nextDueOn: nextReviewDue },
});

/** One customer's credit stream: its commands, its state, and which customer a limit request belongs to. */
@Injectable()
export class CreditAccounts extends CustomerStreams<CreditAccountState, CreditAccountCommand, CreditAccountEvent> {
  constructor(
    @Inject(CREDIT_ACCOUNT_HANDLER) handler: CommandHandler<CreditAccountState, CreditAccountCommand, CreditAccountEvent>,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
  ) {
    super(handler, creditStream);
  }

  /** Which customer's stream holds a limit request (written with the append: read-your-writes). */
  async ownerOfRequest(requestId: string): Promise<string> {
    const streamId = await this.store.streamOwning('limit-request', requestId);
    if (!streamId) throw domainError('limit-request-not-found', 'not-found', `limit request ${requestId} not found`);
    return customerOfStream(streamId);
  }
}
