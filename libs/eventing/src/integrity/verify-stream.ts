import { Queryable } from '../store/sql-client';
import { CHAINED_EVENT_COLUMNS, eventHash, toChainedEvent } from './event-hash';

export interface StreamVerification {
  streamId: string;
  events: number;
  valid: boolean;
  /** Version of the first event whose stored hash does not match its content and predecessor. */
  firstAlteredVersion?: number;
}

/**
 * Recomputes the stream's hash chain from the stored rows (jsonb renders canonically, so
 * `data::text` is the text that was hashed at append) and reports the first altered event.
 */
export async function verifyStream(db: Queryable, streamId: string): Promise<StreamVerification> {
  const { rows } = await db.query(`SELECT ${CHAINED_EVENT_COLUMNS} FROM events WHERE stream_id = $1 ORDER BY stream_version`, [streamId]);
  let previous = '';
  for (const r of rows) {
    const event = toChainedEvent(r);
    if (eventHash(previous, event) !== event.hash) {
      return { streamId, events: rows.length, valid: false, firstAlteredVersion: event.streamVersion };
    }
    previous = event.hash;
  }
  return { streamId, events: rows.length, valid: true };
}
