import { randomUUID } from 'node:crypto';
import { Logger } from 'pino';
import { httpRequestSeconds } from '@crm/eventing';

/**
 * Correlation id: taken from `X-Correlation-Id` or made here, echoed back, and put on every
 * event the request causes (causation id = this request's id). Also times the request by
 * route template (not raw path, so ids don't explode the metric's cardinality).
 */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;
// W3C Trace Context: version-traceid-parentid-flags.
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

export function requestContextMiddleware(logger: Logger) {
  return (req: any, res: any, next: () => void) => {
    const started = process.hrtime.bigint();
    req.requestId = randomUUID();
    // Both end up in every event's metadata and in Kafka headers: take them only when well formed.
    const given = req.headers['x-correlation-id'];
    req.correlationId = typeof given === 'string' && CORRELATION_ID.test(given) ? given : req.requestId;
    const traceparent = req.headers.traceparent;
    req.traceparent = typeof traceparent === 'string' && TRACEPARENT.test(traceparent) ? traceparent : undefined;
    res.setHeader('X-Correlation-Id', req.correlationId);
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = req.route?.path ?? 'unmatched';
      httpRequestSeconds().observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      if (route !== '/metrics' && !String(route).startsWith('/health')) {
        logger.info({ correlationId: req.correlationId, causationId: req.requestId, method: req.method, route,
          status: res.statusCode, ms: Math.round(seconds * 1000) }, 'request');
      }
    });
    next();
  };
}
