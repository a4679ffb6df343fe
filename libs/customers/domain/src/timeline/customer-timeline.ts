import { EventEnvelope } from '@crm/contracts';

export const TIMELINE_SERVICES = ['customers', 'credit', 'receivables', 'engagement'] as const;
export type TimelineService = (typeof TIMELINE_SERVICES)[number];

/**
 * One event about a customer, from any of the four services, as the cross-service timeline
 * keeps it: the envelope's fields, the service that recorded it, and its data as published
 * (personal values stay sealed; the history opens them on read, so an erasure needs no rewrite).
 */
export interface TimelineEntry {
  id: string;
  service: TimelineService;
  type: string;
  schemaVersion: number;
  source: string;
  subject: string;
  time: string;
  /** When the producing service recorded it: the timeline's order across services. */
  recordedAt: string;
  actor: { id: string; roles: string[] };
  correlationId: string;
  causationId: string;
  streamId: string;
  streamVersion: number;
  data: object;
  metadata: EventEnvelope['metadata'];
}

/** The keyset order of the timeline: recorded time, then service, stream version and event id (ties broken stably). */
export type TimelineSortKey = [recordedAt: string, service: string, streamVersion: number, id: string];

const CUSTOMER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function serviceOfSource(source: string | undefined): TimelineService | undefined {
  const name = source?.startsWith('crm.') ? source.slice(4) : undefined;
  return (TIMELINE_SERVICES as readonly string[]).includes(name ?? '') ? (name as TimelineService) : undefined;
}

/**
 * One document per event, keyed by its id: events about a customer (the subject, the partition
 * key, is a customer id); rule sets and day closes (keyed by their own stream) are not about one.
 */
export function timelineKey(event: EventEnvelope): string | undefined {
  return CUSTOMER_ID.test(event.subject ?? '') && serviceOfSource(event.source) ? event.id : undefined;
}

/** Instants written the one way (`toISOString`), so that text order is time order in the index. */
function normalInstant(value: string | undefined, fallback: string): string {
  const ms = Date.parse(value ?? '');
  return Number.isNaN(ms) ? normalInstant(fallback, '1970-01-01T00:00:00.000Z') : new Date(ms).toISOString();
}

export function timelineEntryOf(event: EventEnvelope): TimelineEntry {
  const metadata = event.metadata;
  return {
    id: event.id,
    service: serviceOfSource(event.source)!,
    type: event.type,
    schemaVersion: event.schemaVersion,
    source: event.source,
    subject: event.subject,
    time: event.time,
    recordedAt: normalInstant(event.recordedAt, event.time),
    actor: metadata?.actor ?? { id: 'unknown', roles: [] },
    correlationId: metadata?.correlationId ?? event.id,
    causationId: metadata?.causationId ?? event.id,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    data: event.data,
    metadata,
  };
}

/** The timeline keeps each event once; a redelivery (same id) leaves the entry as it was. */
export function evolveTimelineEntry(doc: TimelineEntry | undefined, event: EventEnvelope): TimelineEntry {
  return doc ?? timelineEntryOf(event);
}

export function timelineSortKey(entry: Pick<TimelineEntry, 'recordedAt' | 'service' | 'streamVersion' | 'id'>): TimelineSortKey {
  return [entry.recordedAt, entry.service, entry.streamVersion, entry.id];
}

export function compareTimelineKeys(a: TimelineSortKey, b: TimelineSortKey): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}
