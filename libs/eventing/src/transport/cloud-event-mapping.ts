import { EventEnvelope } from '@crm/contracts';
import { RecordedEvent } from '../store/event-store.types';
import { IncomingMessage, OutgoingMessage } from './transport';

/** Where a payload's schema is: the committed file libs/contracts/schemas/<Type>.v<version>.json, as a URN. */
export function dataSchemaOf(type: string, schemaVersion: number): string {
  return `urn:crm:schema:${type}.v${schemaVersion}`;
}

/**
 * The event type a CloudEvents `type` names: the last dot-separated part, so namespaced types
 * (`com.example.crm.receivables.InvoiceIssued`) and the bare names published before them
 * (`InvoiceIssued`) read the same. Event type names hold no dots.
 */
export function eventTypeOf(cloudEventType: string): string {
  return cloudEventType.slice(cloudEventType.lastIndexOf('.') + 1);
}

/**
 * CloudEvents 1.0 Kafka binding, binary mode: attributes travel as `ce_*` headers, the value
 * is the event data as JSON. Extension names are lowercase alphanumerics (CloudEvents rule).
 * `typePrefix` namespaces the type (reverse-DNS, e.g. `com.example.crm.receivables`).
 */
export function toKafkaMessage(event: RecordedEvent, source: string, typePrefix?: string): OutgoingMessage {
  const m = event.metadata;
  const headers: Record<string, string> = {
    ce_specversion: '1.0',
    ce_id: event.id,
    ce_type: typePrefix ? `${typePrefix}.${event.type}` : event.type,
    ce_dataschema: dataSchemaOf(event.type, event.schemaVersion),
    ce_source: source,
    ce_subject: event.partitionKey,
    ce_time: event.occurredAt,
    'content-type': 'application/json',
    ce_schemaversion: String(event.schemaVersion),
    ce_streamid: event.streamId,
    ce_streamversion: String(event.streamVersion),
    ce_actor: m.actor.id,
    ce_actorroles: m.actor.roles.join(','),
    ce_correlationid: m.correlationId,
    ce_causationid: m.causationId,
  };
  if (event.recordedAt) headers.ce_recordedat = event.recordedAt;
  // Ascending on a partition (the relay publishes in log order), repeated only by a relay's
  // republishing after a crash: lets a rebuild drop repeats without an inbox row (ADR 31).
  if (event.transactionId !== '0' && event.globalPosition !== '0') headers.ce_logposition = `${event.transactionId}.${event.globalPosition}`;
  if (m.traceparent) headers.ce_traceparent = m.traceparent;
  if (m.command) headers.ce_command = m.command;
  // Stored metadata is JSON: a value that is not a string (an old event, a bad token that got
  // through) must not make the message unsendable and block every later event of the relay.
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') headers[name] = value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return { key: event.partitionKey, value: JSON.stringify(event.data), headers };
}

/** A message's place in its publisher's log (ADR 31); undefined when it carries none. */
export interface LogPositionOf { transactionId: bigint; globalPosition: bigint }

export function logPositionOf(message: IncomingMessage): LogPositionOf | undefined {
  const match = /^(\d+)\.(\d+)$/.exec(message.headers.ce_logposition ?? '');
  return match ? { transactionId: BigInt(match[1]), globalPosition: BigInt(match[2]) } : undefined;
}

/** Log order: by transaction, then by position (the relay's order). */
export function isAfter(a: LogPositionOf, b: LogPositionOf): boolean {
  return a.transactionId > b.transactionId || (a.transactionId === b.transactionId && a.globalPosition > b.globalPosition);
}

export class MalformedEventError extends Error {}

export function fromKafkaMessage(message: IncomingMessage): EventEnvelope {
  const h = message.headers;
  if (h.ce_specversion !== '1.0' || !h.ce_id || !h.ce_type) {
    throw new MalformedEventError(`not a CloudEvents 1.0 binary-mode message at ${message.topic}/${message.partition}@${message.offset}`);
  }
  return {
    id: h.ce_id,
    type: eventTypeOf(h.ce_type),
    schemaVersion: Number(h.ce_schemaversion ?? '1'),
    source: h.ce_source,
    subject: h.ce_subject,
    time: h.ce_time,
    recordedAt: h.ce_recordedat || h.ce_time,
    streamId: h.ce_streamid,
    streamVersion: Number(h.ce_streamversion),
    data: message.value ? JSON.parse(message.value.toString('utf8')) : {},
    metadata: {
      actor: { id: h.ce_actor, roles: h.ce_actorroles ? h.ce_actorroles.split(',') : [] },
      correlationId: h.ce_correlationid,
      causationId: h.ce_causationid,
      ...(h.ce_traceparent ? { traceparent: h.ce_traceparent } : {}),
      ...(h.ce_command ? { command: h.ce_command } : {}),
    },
  };
}

/** A stored event as its consumers read it off the topic (what the relay would publish, decoded). */
export function envelopeOfRecorded(event: RecordedEvent, source: string): EventEnvelope {
  return {
    id: event.id, type: event.type, schemaVersion: event.schemaVersion, source, subject: event.partitionKey,
    time: event.occurredAt, recordedAt: event.recordedAt ?? event.occurredAt, streamId: event.streamId, streamVersion: event.streamVersion,
    data: event.data, metadata: event.metadata,
  };
}
