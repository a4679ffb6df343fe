import { EventEnvelope, EventMetadata } from '@crm/contracts';
import { Context, context, Link, propagation, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * OpenTelemetry spans of the eventing core, through the API only: without an SDK registered
 * (OTEL_* unset) every call is a no-op. The trace context travels with each event as its
 * `traceparent` (stored in the event's metadata, a `ce_traceparent` header on Kafka), so a
 * policy's span continues the trace of the command that recorded the event it reacts to.
 */
const tracer = () => trace.getTracer('crm-eventing');

/** The context a W3C traceparent names (the root context when there is none). */
export function contextOf(traceparent: string | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

/** The traceparent of the active span, when one is recording (an HTTP request, a consumed event). */
export function activeTraceparent(): string | undefined {
  if (!trace.getActiveSpan()?.isRecording()) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** The metadata an append records: the active span's trace context replaces the caller's when tracing is on. */
export function withActiveTrace(metadata: EventMetadata): EventMetadata {
  const traceparent = activeTraceparent();
  return traceparent && traceparent !== metadata.traceparent ? { ...metadata, traceparent } : metadata;
}

function linksOf(events: Array<{ metadata?: { traceparent?: string } }>): Link[] {
  return events.flatMap((e) => {
    const span = e.metadata?.traceparent ? trace.getSpanContext(contextOf(e.metadata.traceparent)) : undefined;
    return span ? [{ context: span }] : [];
  });
}

async function inSpan<T>(span: Span, parent: Context, work: () => Promise<T>): Promise<T> {
  try {
    return await context.with(trace.setSpan(parent, span), work);
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}

/** The relay's publish of a batch: a producer span linked to each event's trace. */
export function tracePublish<T>(topic: string, events: Array<{ metadata?: { traceparent?: string } }>, work: () => Promise<T>): Promise<T> {
  const span = tracer().startSpan(`send ${topic}`, {
    kind: SpanKind.PRODUCER, links: linksOf(events),
    attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'send', 'messaging.destination.name': topic, 'messaging.batch.message_count': events.length },
  });
  return inSpan(span, ROOT_CONTEXT, work);
}

/** A consumer's transaction over a batch: linked to each event's trace. */
export function traceBatch<T>(consumer: string, events: EventEnvelope[], work: () => Promise<T>): Promise<T> {
  const span = tracer().startSpan(`process ${consumer}`, {
    kind: SpanKind.CONSUMER, links: linksOf(events),
    attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'process', 'messaging.consumer.group.name': consumer, 'messaging.batch.message_count': events.length },
  });
  return inSpan(span, ROOT_CONTEXT, work);
}

/** A policy reacting to one event: a child of the trace that recorded it, so the commands it sends continue that trace. */
export function traceReaction<T>(policy: string, event: EventEnvelope, work: () => Promise<T>): Promise<T> {
  const parent = contextOf(event.metadata?.traceparent);
  const span = tracer().startSpan(`${policy} handle ${event.type}`, {
    kind: SpanKind.CONSUMER,
    attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'process', 'messaging.message.id': event.id, 'crm.event.type': event.type },
  }, parent);
  return inSpan(span, parent, work);
}
