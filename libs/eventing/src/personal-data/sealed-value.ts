import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM with a fresh 96-bit nonce per value. The subject (customer id) is authenticated
 * data: a value sealed for one customer does not open under another customer's id.
 */
export const SEALED_PREFIX = 'sealed:v1:';
/** What a sealed value reads as once its customer's key is destroyed. */
export const ERASED = '[erased]';
/** What a sealed value reads as when it does not open (altered, or sealed for someone else). */
export const UNREADABLE = '[unreadable]';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(SEALED_PREFIX);
}

export function seal(key: Buffer, subject: string, plaintext: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(subject, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return SEALED_PREFIX + Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64url');
}

/** Throws when the value was altered or sealed for another subject or key. */
export function unseal(key: Buffer, subject: string, sealed: string): string {
  if (!isSealed(sealed)) throw new Error('not a sealed value');
  const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64url');
  if (raw.length < NONCE_BYTES + TAG_BYTES) throw new Error('sealed value too short');
  // The tag length is pinned: GCM would otherwise accept a truncated (weaker) tag.
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(subject, 'utf8'));
  decipher.setAuthTag(raw.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}
