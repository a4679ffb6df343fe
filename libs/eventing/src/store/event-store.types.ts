import { EventMetadata } from '@crm/contracts';

/** An event as a decider emits it: a fact with its payload, before it has a place in a stream. */
export interface NewEvent<T = Record<string, unknown>> {
  id: string;
  type: string;
  schemaVersion: number;
  data: T;
  occurredAt: string;
}

/** An event as stored: with its stream position, global position and commit-order key. */
export interface RecordedEvent<T = Record<string, unknown>> extends NewEvent<T> {
  streamId: string;
  streamVersion: number;
  partitionKey: string;
  metadata: EventMetadata;
  globalPosition: string;
  transactionId: string;
  hash: string;
  /** The store's clock when the row was written (absent in events built by hand). */
  recordedAt?: string;
}

/**
 * A stored event typed as its stream's owner reads it: `E` is the decider's event union (a
 * `TypedEvent` of a contracts event map), so `data` narrows by `type` without casts.
 */
export type StoredEvent<E extends { type: string; data: unknown }> = E & Omit<RecordedEvent, 'type' | 'data' | 'schemaVersion'>;

/** `any`: no check; `no_stream`: must not exist; `stream_exists`: must exist; number: exact version. */
export type ExpectedVersion = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendOptions {
  partitionKey: string;
  metadata: EventMetadata;
  idempotency?: { scope: string; key: string; requestHash: string; response: unknown };
  /** Index entries written in the append's transaction (see COMMAND_SUPPORT_DDL). */
  index?: StreamIndex;
}

export interface StreamIndex {
  /** Ids the appended events make this stream the owner of. */
  lookups?: Array<{ kind: string; id: string }>;
  /** The next business date a day close has work for the stream (null: none); absent: unchanged. */
  schedule?: { category: string; dueOn: string | null };
  /** Ids only this stream may own: an id another stream owns fails the append (UniqueLookupTakenError). */
  claims?: Array<{ kind: string; id: string }>;
  /** Claims this stream gives up (e.g. the old value of a changed tax id). */
  releases?: Array<{ kind: string; id: string }>;
}

export interface AppendResult {
  nextExpectedVersion: number;
  lastGlobalPosition: string;
  /** false when every event id had been appended before (an idempotent retry). */
  appended: boolean;
}

/** Commit-order position in the whole log: (transaction id, global position). */
export interface LogPosition {
  transactionId: string;
  globalPosition: string;
}

export const LOG_START: LogPosition = { transactionId: '0', globalPosition: '0' };
