import { Inject, Injectable } from '@nestjs/common';
import { domainError, EventMetadata } from '@crm/contracts';
import {
  creditAccountDecider, CreditAccountCommand, CreditAccountEvent, creditAccountLookups, CreditAccountState, nextReviewDue,
} from '@crm/credit-domain';
import { CommandHandler, PostgresEventStore, VersionedState } from '@crm/eventing';
import { EVENT_STORE, provideCommandHandler } from '@crm/platform';

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

export interface CreditCommandOptions<R> {
  metadata: EventMetadata;
  now: string;
  idempotencyKey?: string;
  request?: unknown;
  respond: (events: CreditAccountEvent[], version: number) => R;
}

/** One customer's credit stream: its commands, its state, and which customer a limit request belongs to. */
@Injectable()
export class CreditAccounts {
  constructor(
    @Inject(CREDIT_ACCOUNT_HANDLER) private readonly handler: CommandHandler<CreditAccountState, CreditAccountCommand, CreditAccountEvent>,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
  ) {}

  execute<R>(customerId: string, command: CreditAccountCommand, options: CreditCommandOptions<R>): Promise<R> {
    return this.handler.execute({
      streamId: creditStream(customerId),
      partitionKey: customerId,
      command,
      metadata: { ...options.metadata, command: command.type },
      now: options.now,
      idempotency: options.idempotencyKey ? { scope: command.type, key: options.idempotencyKey, request: options.request ?? null } : undefined,
      respond: options.respond,
    });
  }

  /** The account and its stream version; read it at once (the state is shared). */
  load(customerId: string): Promise<VersionedState<CreditAccountState>> {
    return this.handler.load(creditStream(customerId));
  }

  /** Writes the review schedule from the state (after a close that recorded nothing). */
  reschedule(customerId: string): Promise<string | null> {
    return this.handler.reschedule(creditStream(customerId), customerId);
  }

  /** Which customer's stream holds a limit request (written with the append: read-your-writes). */
  async ownerOfRequest(requestId: string): Promise<string> {
    const streamId = await this.store.streamOwning('limit-request', requestId);
    if (!streamId) throw domainError('limit-request-not-found', 'not-found', `limit request ${requestId} not found`);
    return customerOfStream(streamId);
  }
}
