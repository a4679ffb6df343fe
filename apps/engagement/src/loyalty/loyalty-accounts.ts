import { Inject, Injectable } from '@nestjs/common';
import { LoyaltyAccountCommand, loyaltyAccountDecider, LoyaltyAccountEvent, LoyaltyAccountState, nextLoyaltyDue } from '@crm/engagement-domain';
import { CommandHandler, PostgresEventStore, StoredEvent } from '@crm/eventing';
import { CustomerStreams, EVENT_STORE, provideCommandHandler } from '@crm/platform';

export const loyaltyStream = (customerId: string) => `loyalty-${customerId}`;

/** Schedule category of loyalty accounts: expiries, pending downgrades and amounts leaving the window. */
export const LOYALTY_SCHEDULE = 'loyalty-account';
const LOYALTY_ACCOUNT_HANDLER = Symbol('LOYALTY_ACCOUNT_HANDLER');

export const loyaltyAccountCommandHandler = provideCommandHandler(LOYALTY_ACCOUNT_HANDLER, {
  name: 'loyalty-account',
  decider: loyaltyAccountDecider,
  // Bump when evolveLoyaltyAccount or LoyaltyAccountState changes shape: older snapshots are then ignored.
  snapshots: { schemaVersion: 1 },
  schedule: { category: LOYALTY_SCHEDULE, nextDueOn: nextLoyaltyDue },
});

/** One customer's loyalty stream: its commands, its state, its history. */
@Injectable()
export class LoyaltyAccounts extends CustomerStreams<LoyaltyAccountState, LoyaltyAccountCommand, LoyaltyAccountEvent> {
  constructor(
    @Inject(LOYALTY_ACCOUNT_HANDLER) handler: CommandHandler<LoyaltyAccountState, LoyaltyAccountCommand, LoyaltyAccountEvent>,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
  ) {
    super(handler, loyaltyStream);
  }

  /** The whole stream, for `?asOf=` (one customer's events, bounded by what its state keeps of them). */
  async history(customerId: string): Promise<Array<StoredEvent<LoyaltyAccountEvent>>> {
    return this.store.readStream<LoyaltyAccountEvent>(loyaltyStream(customerId));
  }
}
