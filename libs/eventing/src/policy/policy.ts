import { EventEnvelope } from '@crm/contracts';

/** What a policy's command is sent with: derived from the event that caused it. */
export interface PolicyCommandContext {
  /** Same event, same command → same key: a redelivered event never acts twice. */
  idempotencyKey: string;
  /** The causing event's id. */
  causationId: string;
  correlationId: string;
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
  handle(event: EventEnvelope): PolicyCommand[] | Promise<PolicyCommand[]>;
}

export function policyCommandKey(policy: string, event: EventEnvelope, key: string): string {
  return `${policy}:${event.id}:${key}`;
}
