import { createHmac, hkdfSync } from 'node:crypto';

/**
 * A keyed blind index of contact emails, so the directory can find a customer by email while
 * the email itself stays sealed: HMAC-SHA256 of the normalised email (trimmed, lower case)
 * under a key derived (HKDF) from the personal-data master key. Without the master key it
 * can be neither reversed nor recomputed; read models drop it on erasure.
 */
export class EmailBlindIndex {
  private readonly key: Buffer;
  private readonly careKey: Buffer;

  constructor(masterKey: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.from('crm-customers'), Buffer.from('email-blind-index-v1'), 32));
    this.careKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.from('crm-customers'), Buffer.from('care-date-index-v1'), 32));
  }

  /**
   * The care-date index of a birthday or a business date: HMAC of its MM-DD under its own
   * derived key. The day close computes it for the date and finds the contacts by it; the
   * birthday stays sealed. (Only 366 values: whoever holds the master key can tell the month
   * and day, as they could open the birthday itself.)
   */
  careDateOf(date: string): string {
    return `cd1:${createHmac('sha256', this.careKey).update(date.slice(5, 10)).digest('base64url')}`;
  }

  of(email: string): string {
    return `bi1:${createHmac('sha256', this.key).update(email.trim().toLowerCase()).digest('base64url')}`;
  }

  /** Events as the decider made them (plaintext), each contact email given its blind index. */
  addTo<E extends { type: string; data: any }>(events: E[]): E[] {
    return events.map((e) => {
      const indexes = (c: any) => ({ ...c, ...(c.email ? { emailBlindIndex: this.of(c.email) } : {}), ...(c.birthday ? { birthdayBlindIndex: this.careDateOf(c.birthday) } : {}) });
      if (e.type === 'CustomerRegistered' && e.data.contacts) return { ...e, data: { ...e.data, contacts: e.data.contacts.map(indexes) } };
      if (e.type === 'ContactAdded') return { ...e, data: indexes(e.data) };
      if (e.type === 'ContactUpdated') {
        const data = { ...e.data };
        if (data.changedFields.includes('email')) data.emailBlindIndex = data.email ? this.of(data.email) : null;
        if (data.changedFields.includes('birthday')) data.birthdayBlindIndex = data.birthday ? this.careDateOf(data.birthday) : null;
        return { ...e, data };
      }
      return e;
    });
  }
}
