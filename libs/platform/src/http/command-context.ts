import { Actor, EventMetadata } from '@crm/contracts';

/** Metadata for the events a request causes: who, which request, which conversation. */
export function eventMetadata(request: any, command: string): EventMetadata {
  const actor: Actor = request.actor;
  return {
    actor,
    correlationId: request.correlationId,
    causationId: request.requestId,
    command,
    ...(request.traceparent ? { traceparent: request.traceparent } : {}),
  };
}
