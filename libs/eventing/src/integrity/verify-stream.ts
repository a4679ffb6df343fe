import { createHash } from 'node:crypto';
import { Queryable } from '../store/sql-client';

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
  const { rows } = await db.query(
    `SELECT stream_version, event_id, event_type, schema_version, data::text AS data,
            metadata::text AS metadata, occurred_at, hash
       FROM events WHERE stream_id = $1 ORDER BY stream_version`, [streamId]);
  let previous = '';
  for (const r of rows) {
    const expected = createHash('sha256').update([previous, streamId, String(r.stream_version), r.event_id,
      r.event_type, String(r.schema_version), r.data, r.metadata, new Date(r.occurred_at).toISOString()].join('|'), 'utf8')
      .digest('hex');
    if (expected !== r.hash) {
      return { streamId, events: rows.length, valid: false, firstAlteredVersion: r.stream_version };
    }
    previous = r.hash;
  }
  return { streamId, events: rows.length, valid: true };
}
