import { EventEnvelope } from '@crm/contracts';
import { PoolClient } from 'pg';

export type HandlerMode = 'live' | 'rebuild';

export interface HandlerContext {
  tx: PoolClient;
  /** In `rebuild` mode policies must not send commands: history is being re-read, not re-lived. */
  mode: HandlerMode;
  /** Table names of this run (live or shadow), by logical name. */
  tables: Record<string, string>;
  /** Tells the broker this consumer is alive: for handlers that work long on one batch (policies). */
  heartbeat?: () => Promise<void>;
}

/**
 * Applies new events (already de-duplicated and upcast) inside the consumer's transaction,
 * which also records the inbox rows and the checkpoint.
 */
export interface EventHandler {
  handle(events: EventEnvelope[], context: HandlerContext): Promise<void>;
  /**
   * False for an event the handler would do nothing with. A live consumer then gives it no
   * inbox row and no parking, and a batch of only such events no transaction at all: a
   * service's own day-close policy reads every event of its topic for one type, and a
   * payment crossed a dozen consumer groups that each committed a transaction to ignore it.
   * Without it every event is handled.
   */
  relevant?(event: EventEnvelope): boolean;
}
