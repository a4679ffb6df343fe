import { EventEnvelope } from '@crm/contracts';
import { IncomingMessage } from '../transport/transport';

/** A message as the consumer read it: the upcast event, or why it could not be decoded. */
export interface DecodedMessage {
  message: IncomingMessage;
  event?: EventEnvelope;
  error?: string;
  /** Deduplicated by its log position (a rebuild's), so it needs no inbox row (ADR 31). */
  positioned?: boolean;
}

/** The ordering key: parking blocks it, so later events of one customer wait behind a parked one. */
export function keyOf(item: DecodedMessage): string {
  return item.event?.subject ?? item.message.key ?? `${item.message.topic}/${item.message.partition}`;
}

export function eventIdOf(item: DecodedMessage): string {
  return item.event?.id ?? item.message.headers.ce_id ?? '00000000-0000-0000-0000-000000000000';
}
