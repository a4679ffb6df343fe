import { createHash } from 'node:crypto';
import { seal, unseal } from './sealed-value';

/**
 * Wraps and unwraps the per-subject data keys. The vault never sees a master key itself, so a
 * KMS (envelope encryption: its encrypt/decrypt calls) can replace the environment's key by
 * implementing this interface. `isCurrent` tells the rotation which wrapped keys are done.
 */
export interface KeyWrapper {
  wrap(subject: string, key: Buffer): Promise<Buffer>;
  /** Throws when no accepted master key opens it (altered, or wrapped under a retired key). */
  unwrap(subject: string, wrapped: Buffer): Promise<Buffer>;
  isCurrent(wrapped: Buffer): boolean;
}

/** `mk:<key id>:` before the sealed key; a value without it was wrapped before rotation existed. */
const TAGGED = /^mk:([0-9a-f]{16}):/;

/** A master key's public name: a hash of it, so the stored wrap says which key made it without revealing it. */
export function masterKeyId(masterKey: Buffer): string {
  return createHash('sha256').update('crm-personal-data-master-key-id').update(masterKey).digest('hex').slice(0, 16);
}

/**
 * Master keys from the environment: `current` wraps, and `accepted` (the previous key during a
 * rotation, or the next one before it is rolled out) also unwrap, so replicas with either key
 * read every customer's data while the keys are re-wrapped.
 */
export class MasterKeyWrapper implements KeyWrapper {
  private readonly currentId: string;
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly current: Buffer, accepted: Buffer[] = []) {
    for (const key of [current, ...accepted]) if (key.length !== 32) throw new Error('the personal-data master key must be 32 bytes');
    this.currentId = masterKeyId(current);
    this.byId = new Map([current, ...accepted].map((key) => [masterKeyId(key), key]));
  }

  async wrap(subject: string, key: Buffer): Promise<Buffer> {
    return Buffer.from(`mk:${this.currentId}:${seal(this.current, `key:${subject}`, key.toString('base64'))}`);
  }

  async unwrap(subject: string, wrapped: Buffer): Promise<Buffer> {
    const text = wrapped.toString('utf8');
    const tagged = TAGGED.exec(text);
    const candidates = tagged ? [this.byId.get(tagged[1])].filter((k): k is Buffer => !!k) : [...this.byId.values()];
    const sealed = tagged ? text.slice(tagged[0].length) : text;
    for (const master of candidates) {
      try {
        return Buffer.from(unseal(master, `key:${subject}`, sealed), 'base64');
      } catch {
        // an untagged key from before rotation: try the next accepted key
      }
    }
    throw new Error(tagged ? `the key of ${subject} is wrapped under master key ${tagged[1]}, which is not accepted here` : `no accepted master key opens the key of ${subject}`);
  }

  isCurrent(wrapped: Buffer): boolean {
    return TAGGED.exec(wrapped.toString('utf8'))?.[1] === this.currentId;
  }
}
