import { EventEnvelope } from '@crm/contracts';
import { Queryable } from '../store/sql-client';

/** What a policy's command is sent with: derived from the event that caused it. */
export interface PolicyCommandContext {
  /** Same event, same command → same key: a redelivered event never acts twice. */
  idempotencyKey: string;
  /** The causing event's id. */
  causationId: string;
  correlationId: string;
}

/**
 * Where a policy reads an event: the consumer's transaction, which also records the event in
 * the policy's inbox and moves its checkpoint. State a policy keeps for itself (e.g. credit's
 * copy of receivables' facts) is written here, so it changes exactly once per event and is
 * rolled back with a batch that fails.
 */
export interface PolicyEventContext {
  tx: Queryable;
}

/** One command a policy sends; `key` tells apart the commands one event causes. */
export interface PolicyCommand {
  key: string;
  send(context: PolicyCommandContext): Promise<unknown>;
}

/**
 * An event handler that sends commands of its own service (automatic credit hold, points
 * earned, day-close work). It never writes read-model rows or another service's data; the
 * command handler does the writing, with the idempotency key the runner derives.
 */
export interface Policy {
  /** Stable name: consumer group, inbox and parked events are keyed by it. */
  name: string;
  topics: string[];
  /** The commands an event calls for (none for most). */
  handle(event: EventEnvelope, context: PolicyEventContext): PolicyCommand[] | Promise<PolicyCommand[]>;
  /**
   * Whether `handle` can do anything with the event (its first guard): the others never reach
   * it and cost no transaction (see EventHandler.relevant). Without it, every event does.
   */
  reactsTo?(event: EventEnvelope): boolean;
}

export function policyCommandKey(policy: string, event: EventEnvelope, key: string): string {
  return `${policy}:${event.id}:${key}`;
}
