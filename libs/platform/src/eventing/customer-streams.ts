import { EventMetadata } from '@crm/contracts';
import { CommandHandler, DomainEvent, VersionedState } from '@crm/eventing';

export interface StreamCommandOptions<E, R> {
  metadata: EventMetadata;
  now: string;
  idempotencyKey?: string;
  /** What the Idempotency-Key is bound to (a retry with another body is refused). */
  request?: unknown;
  respond: (events: E[], version: number) => R;
}

/**
 * One stream per customer of one kind (a credit account, a loyalty account…), partitioned by
 * the customer so its events stay in order on Kafka: its commands, its state, its schedule. A
 * service's kind of stream extends this with its command handler and stream name.
 */
export abstract class CustomerStreams<S, C extends { type: string }, E extends DomainEvent> {
  protected constructor(protected readonly handler: CommandHandler<S, C, E>, readonly streamOf: (customerId: string) => string) {}

  execute<R>(customerId: string, command: C, options: StreamCommandOptions<E, R>): Promise<R> {
    return this.handler.execute({
      streamId: this.streamOf(customerId), partitionKey: customerId, command,
      metadata: { ...options.metadata, command: command.type }, now: options.now,
      idempotency: options.idempotencyKey ? { scope: command.type, key: options.idempotencyKey, request: options.request ?? null } : undefined,
      respond: options.respond,
    });
  }

  /** The state and its stream version; read it at once (the cached state is shared). */
  load(customerId: string): Promise<VersionedState<S>> {
    return this.handler.load(this.streamOf(customerId));
  }

  /** Writes the schedule from the state (after a day close that recorded nothing). */
  reschedule(customerId: string): Promise<string | null> {
    return this.handler.reschedule(this.streamOf(customerId), customerId);
  }
}
