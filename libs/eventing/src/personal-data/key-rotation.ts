import { Pool } from 'pg';
import { KeyWrapper } from './key-wrapper';

export interface KeyRotationReport {
  /** Keys found wrapped under another master key and wrapped again under the current one. */
  rewrapped: number;
  /** Keys already under the current master key. */
  current: number;
  /** Rows of erased subjects (no key to wrap). */
  erased: number;
}

/**
 * Wraps every subject's data key under the wrapper's current master key, in keyset pages by
 * subject (memory bounded by `batchSize`, restartable: a run that stops is simply run again).
 * Each row is replaced only if it still holds the value read, so an erasure or a concurrent
 * rotation in between is never undone; the data keys themselves, and so every sealed value in
 * the events and on Kafka, stay as they are.
 */
export async function rotateMasterKey(pool: Pool, wrapper: KeyWrapper, options: { batchSize?: number; onProgress?: (report: KeyRotationReport) => void } = {}): Promise<KeyRotationReport> {
  const batchSize = options.batchSize ?? 500;
  const report: KeyRotationReport = { rewrapped: 0, current: 0, erased: 0 };
  let after = '';
  for (;;) {
    const { rows } = await pool.query<{ subject: string; wrapped_key: Buffer | null }>(
      'SELECT subject, wrapped_key FROM personal_data_keys WHERE subject > $1 ORDER BY subject LIMIT $2', [after, batchSize]);
    if (rows.length === 0) return report;
    for (const row of rows) {
      if (row.wrapped_key === null) report.erased++;
      else if (wrapper.isCurrent(row.wrapped_key)) report.current++;
      else {
        const key = await wrapper.unwrap(row.subject, row.wrapped_key);
        const { rowCount } = await pool.query('UPDATE personal_data_keys SET wrapped_key = $3 WHERE subject = $1 AND wrapped_key = $2',
          [row.subject, row.wrapped_key, await wrapper.wrap(row.subject, key)]);
        if (rowCount === 1) report.rewrapped++;
        else report.erased++; // erased meanwhile (the only other change a row sees)
      }
    }
    after = rows[rows.length - 1].subject;
    options.onProgress?.(report);
  }
}
