import { createHash } from 'node:crypto';

/** One stored event as the hash chain covers it (texts exactly as PostgreSQL renders them). */
export interface ChainedEvent {
  streamId: string;
  streamVersion: number;
  eventId: string;
  eventType: string;
  schemaVersion: number;
  /** `data::text`: jsonb renders canonically, so this is the text hashed at append. */
  data: string;
  metadata: string;
  /** ISO 8601 with milliseconds, as the store hashed it. */
  occurredAt: string;
  hash: string;
}

/** The hash `es_append` stores for an event after `previous` (the stream's prior hash, '' for the first). */
export function eventHash(previous: string, e: Omit<ChainedEvent, 'hash'>): string {
  return createHash('sha256').update([previous, e.streamId, String(e.streamVersion), e.eventId, e.eventType,
    String(e.schemaVersion), e.data, e.metadata, e.occurredAt].join('|'), 'utf8').digest('hex');
}

/** Columns of `events` as ChainedEvent reads them (with `r` as the table alias or none). */
export const CHAINED_EVENT_COLUMNS = `stream_id, stream_version, event_id, event_type, schema_version, data::text AS data,
  metadata::text AS metadata, occurred_at, hash, global_position::text AS global_position`;

export function toChainedEvent(r: any): ChainedEvent & { globalPosition: string } {
  return {
    streamId: r.stream_id, streamVersion: r.stream_version, eventId: r.event_id, eventType: r.event_type,
    schemaVersion: r.schema_version, data: r.data, metadata: r.metadata, occurredAt: new Date(r.occurred_at).toISOString(),
    hash: r.hash, globalPosition: r.global_position,
  };
}
