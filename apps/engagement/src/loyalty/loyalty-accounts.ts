import { Inject, Injectable } from '@nestjs/common';
import { EventMetadata } from '@crm/contracts';
import { LoyaltyAccountCommand, loyaltyAccountDecider, LoyaltyAccountEvent, LoyaltyAccountState, nextLoyaltyDue } from '@crm/engagement-domain';
import { CommandHandler, PostgresEventStore, VersionedState } from '@crm/eventing';
import { EVENT_STORE, provideCommandHandler } from '@crm/platform';

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

export interface LoyaltyCommandOptions<R> {
  metadata: EventMetadata;
  now: string;
  idempotencyKey?: string;
  request?: unknown;
  respond: (events: LoyaltyAccountEvent[], version: number) => R;
}

/** One customer's loyalty stream: its commands, its state, its history. */
@Injectable()
export class LoyaltyAccounts {
  constructor(
    @Inject(LOYALTY_ACCOUNT_HANDLER) private readonly handler: CommandHandler<LoyaltyAccountState, LoyaltyAccountCommand, LoyaltyAccountEvent>,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
  ) {}

  execute<R>(customerId: string, command: LoyaltyAccountCommand, options: LoyaltyCommandOptions<R>): Promise<R> {
    return this.handler.execute({
      streamId: loyaltyStream(customerId),
      partitionKey: customerId,
      command,
      metadata: { ...options.metadata, command: command.type },
      now: options.now,
      idempotency: options.idempotencyKey ? { scope: command.type, key: options.idempotencyKey, request: options.request ?? null } : undefined,
      respond: options.respond,
    });
  }

  /** The state and its stream version; read it at once (the state is shared). */
  load(customerId: string): Promise<VersionedState<LoyaltyAccountState>> {
    return this.handler.load(loyaltyStream(customerId));
  }

  reschedule(customerId: string): Promise<string | null> {
    return this.handler.reschedule(loyaltyStream(customerId), customerId);
  }

  /** The whole stream, for `?asOf=` (one customer's events, bounded by what its state keeps of them). */
  async history(customerId: string): Promise<LoyaltyAccountEvent[]> {
    return (await this.store.readStream<LoyaltyAccountEvent>(loyaltyStream(customerId))) as unknown as LoyaltyAccountEvent[];
  }
}
