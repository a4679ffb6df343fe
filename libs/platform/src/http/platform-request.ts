import { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Actor } from '@crm/contracts';

/**
 * A request as a handler receives it (`@Req() request: PlatformRequest`), with what the
 * platform has put on it by then: the request context middleware's `requestId`,
 * `correlationId` and `traceparent`, the AuthGuard's `actor` (every route but the public
 * probes), and the IdempotencyKeyGuard's actor-scoped `idempotency-key` header on writes.
 */
export interface PlatformRequest extends IncomingMessage {
  /**
   * Node joins a repeated header other than Set-Cookie into one string, so `idempotency-key`
   * is one string when sent: on a write, the actor-scoped form of a validated key.
   */
  headers: IncomingHttpHeaders & { 'idempotency-key'?: string };
  /** Who the bearer token names. */
  actor: Actor;
  /** This request's own id: the causation id of the events it causes. */
  requestId: string;
  /** From a well-formed `X-Correlation-Id`, else the request id; echoed back. */
  correlationId: string;
  /** A well-formed W3C `traceparent`, if the caller sent one. */
  traceparent?: string;
  /** Express's response, for a header the answer carries (ETag, Location). */
  res?: ServerResponse;
}

/** The part of a request that event metadata cites. */
export type RequestContext = Pick<PlatformRequest, 'actor' | 'correlationId' | 'requestId' | 'traceparent'>;
