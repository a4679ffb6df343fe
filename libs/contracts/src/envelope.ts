/** Who caused a change: recorded in every event's metadata (audit trail). */
export interface Actor {
  id: string;
  roles: string[];
}

export interface EventMetadata {
  actor: Actor;
  correlationId: string;
  causationId: string;
  /** W3C trace context of the request that caused the event, when there was one. */
  traceparent?: string;
  /** Name of the command that produced the event (e.g. RegisterCustomer). */
  command?: string;
}

/**
 * The envelope every published event travels in. On Kafka it maps to CloudEvents 1.0
 * binary mode: id/type/source/subject/time become `ce_*` headers, `data` is the value.
 */
export interface EventEnvelope<T extends object = object> {
  id: string;
  type: string;
  schemaVersion: number;
  source: string;
  /** Customer id: the partition key, so one customer's events stay in order. */
  subject: string;
  /** ISO 8601 UTC instant the fact happened (business time, from command metadata). */
  time: string;
  /**
   * When the producing service's store recorded it (`ce_recordedat`): what "as recorded at an
   * instant" views compare with. Equal to `time` for messages from before the header existed.
   */
  recordedAt?: string;
  streamId: string;
  streamVersion: number;
  data: T;
  metadata: EventMetadata;
}
