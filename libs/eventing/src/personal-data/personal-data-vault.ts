import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { KeyWrapper, MasterKeyWrapper } from './key-wrapper';
import { mapEveryString, mapPersonalFields } from './personal-fields';
import { ERASED, isSealed, seal, UNREADABLE, unseal } from './sealed-value';

export class PersonalDataErasedError extends Error {
  readonly code = 'personal-data-erased';
  constructor(readonly subject: string) {
    super(`the personal data of ${subject} was erased; no new personal data can be recorded for it`);
  }
}

/** Data with the strings at `paths` to seal or open. */
export interface PersonalDataItem<T> {
  data: T;
  paths: string[];
}

/**
 * Crypto-shredding (guarantee 9): personal fields are sealed with a key per subject before
 * they reach the event store, and so Kafka; `erase` destroys the key. The history keeps its
 * shape, amounts and hash chain, while the personal data in it becomes unreadable everywhere.
 */
export class PersonalDataVault {
  private readonly wrapper: KeyWrapper;

  /** `keys`: the master key (the environment's) or any key wrapper (a KMS). */
  constructor(private readonly pool: Pool, keys: Buffer | KeyWrapper) {
    this.wrapper = Buffer.isBuffer(keys) ? new MasterKeyWrapper(keys) : keys;
  }

  /**
   * Seals every string at `paths`, even one that looks sealed already: input is plaintext by
   * definition, and a forged `sealed:v1:` value must not slip past in clear. The subject's key
   * is created on first use, and only when there is something to seal.
   */
  async seal<T>(subject: string, data: T, paths: string[]): Promise<T> {
    if (!hasValueAt(data, paths)) return data;
    const key = await this.keyFor(subject);
    return mapPersonalFields(data, paths, (value) => seal(key, subject, value));
  }

  /**
   * Opens the sealed strings of several items with one key read; after erasure they read
   * `[erased]`, and a value that does not open reads `[unreadable]` instead of failing the read.
   */
  async openAll<T>(subject: string, items: Array<PersonalDataItem<T>>): Promise<{ data: T[]; erased: boolean }> {
    const { open, erased } = await this.opener(subject);
    return { data: items.map((item) => mapPersonalFields(item.data, item.paths, open)), erased };
  }

  /**
   * Opens every sealed string anywhere in each value, whatever its schema (the cross-service
   * history holds other services' events): only values sealed for this subject open, others
   * read `[unreadable]`, and plain strings are left alone.
   */
  async openEverySealed<T>(subject: string, values: T[]): Promise<{ data: T[]; erased: boolean }> {
    const { open, erased } = await this.opener(subject);
    return { data: values.map((value) => mapEveryString(value, open)), erased };
  }

  private async opener(subject: string): Promise<{ open: (value: string) => string; erased: boolean }> {
    const key = await this.existingKey(subject);
    const open = (value: string): string => {
      if (!isSealed(value)) return value;
      if (key === 'erased') return ERASED;
      if (key === undefined) return UNREADABLE;
      try {
        return unseal(key, subject, value);
      } catch {
        return UNREADABLE;
      }
    };
    return { open, erased: key === 'erased' };
  }

  async open<T>(subject: string, data: T, paths: string[]): Promise<{ data: T; erased: boolean }> {
    const { data: [opened], erased } = await this.openAll(subject, [{ data, paths }]);
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
      [subject, await this.wrapper.wrap(subject, key)]);
    return this.keyFor(subject);
  }

  private async existingKey(subject: string): Promise<Buffer | 'erased' | undefined> {
    const { rows } = await this.pool.query('SELECT wrapped_key FROM personal_data_keys WHERE subject = $1', [subject]);
    if (rows.length === 0) return undefined;
    if (rows[0].wrapped_key === null) return 'erased';
    return this.wrapper.unwrap(subject, rows[0].wrapped_key);
  }
}

function hasValueAt(data: unknown, paths: string[]): boolean {
  let found = false;
  mapPersonalFields(data, paths, (value) => {
    found = true;
    return value;
  });
  return found;
}
