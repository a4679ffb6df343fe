import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { mapPersonalFields } from './personal-fields';
import { ERASED, isSealed, seal, unseal } from './sealed-value';

export class PersonalDataErasedError extends Error {
  readonly code = 'personal-data-erased';
  constructor(readonly subject: string) {
    super(`the personal data of ${subject} was erased; no new personal data can be recorded for it`);
  }
}

/**
 * Crypto-shredding (guarantee 9): personal fields are sealed with a key per subject before
 * they reach the event store, and so Kafka; `erase` destroys the key. The history keeps its
 * shape, amounts and hash chain, while the personal data in it becomes unreadable everywhere.
 */
export class PersonalDataVault {
  constructor(private readonly pool: Pool, private readonly masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('the personal-data master key must be 32 bytes');
  }

  /** Seals the strings at `paths`, creating the subject's key on first use. */
  async seal<T>(subject: string, data: T, paths: string[]): Promise<T> {
    if (paths.length === 0) return data;
    const key = await this.keyFor(subject);
    return mapPersonalFields(data, paths, (value) => (isSealed(value) ? value : seal(key, subject, value)));
  }

  /** Opens sealed strings at `paths`; after erasure they read `[erased]`. */
  async open<T>(subject: string, data: T, paths: string[]): Promise<{ data: T; erased: boolean }> {
    const state = await this.existingKey(subject);
    const erased = state === 'erased';
    const opened = mapPersonalFields(data, paths, (value) => {
      if (!isSealed(value)) return value;
      return state === 'erased' || state === undefined ? ERASED : unseal(state, subject, value);
    });
    return { data: opened, erased };
  }

  /** Destroys the subject's key; idempotent, and effective even before the subject had one. */
  async erase(subject: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO personal_data_keys (subject, wrapped_key, erased_at) VALUES ($1, NULL, now())
       ON CONFLICT (subject) DO UPDATE SET wrapped_key = NULL, erased_at = coalesce(personal_data_keys.erased_at, now())`,
      [subject]);
  }

  async isErased(subject: string): Promise<boolean> {
    return (await this.existingKey(subject)) === 'erased';
  }

  private async keyFor(subject: string): Promise<Buffer> {
    const existing = await this.existingKey(subject);
    if (existing === 'erased') throw new PersonalDataErasedError(subject);
    if (existing) return existing;
    const key = randomBytes(32);
    // A concurrent first use may win the insert: read back whichever key was stored.
    await this.pool.query(`INSERT INTO personal_data_keys (subject, wrapped_key) VALUES ($1, $2) ON CONFLICT (subject) DO NOTHING`,
      [subject, Buffer.from(seal(this.masterKey, `key:${subject}`, key.toString('base64')))]);
    return this.keyFor(subject);
  }

  private async existingKey(subject: string): Promise<Buffer | 'erased' | undefined> {
    const { rows } = await this.pool.query('SELECT wrapped_key FROM personal_data_keys WHERE subject = $1', [subject]);
    if (rows.length === 0) return undefined;
    if (rows[0].wrapped_key === null) return 'erased';
    return Buffer.from(unseal(this.masterKey, `key:${subject}`, rows[0].wrapped_key.toString('utf8')), 'base64');
  }
}
