import { EventMetadata } from '@crm/contracts';
import { RequestContext } from './platform-request';

/** What the events a request causes say about it: who, which request, which conversation. */
export function requestMetadata(request: RequestContext): Omit<EventMetadata, 'command'> {
  return {
    actor: request.actor,
    correlationId: request.correlationId,
    causationId: request.requestId,
    ...(request.traceparent ? { traceparent: request.traceparent } : {}),
  };
}

/** Metadata for the events a request causes, naming the command they answer. */
export function eventMetadata(request: RequestContext, command: string): EventMetadata {
  return { ...requestMetadata(request), command };
}
