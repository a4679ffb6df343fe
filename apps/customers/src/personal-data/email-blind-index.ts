import { createHmac, hkdfSync } from 'node:crypto';

/**
 * A keyed blind index of contact emails, so the directory can find a customer by email while
 * the email itself stays sealed: HMAC-SHA256 of the normalised email (trimmed, lower case)
 * under a key derived (HKDF) from the personal-data master key. Without the master key it
 * can be neither reversed nor recomputed; read models drop it on erasure.
 */
export class EmailBlindIndex {
  private readonly key: Buffer;

  constructor(masterKey: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.from('crm-customers'), Buffer.from('email-blind-index-v1'), 32));
  }

  of(email: string): string {
    return `bi1:${createHmac('sha256', this.key).update(email.trim().toLowerCase()).digest('base64url')}`;
  }

  /** Events as the decider made them (plaintext), each contact email given its blind index. */
  addTo<E extends { type: string; data: any }>(events: E[]): E[] {
    return events.map((e) => {
      if (e.type === 'CustomerRegistered' && e.data.contacts) {
        return { ...e, data: { ...e.data, contacts: e.data.contacts.map((c: any) => (c.email ? { ...c, emailBlindIndex: this.of(c.email) } : c)) } };
      }
      if (e.type === 'ContactAdded' && e.data.email) return { ...e, data: { ...e.data, emailBlindIndex: this.of(e.data.email) } };
      if (e.type === 'ContactUpdated' && e.data.changedFields.includes('email')) {
        return { ...e, data: { ...e.data, emailBlindIndex: e.data.email ? this.of(e.data.email) : null } };
      }
      return e;
    });
  }
}
