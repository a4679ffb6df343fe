import { randomBytes } from 'node:crypto';
import { isSealed, seal, unseal } from './sealed-value';

describe('sealed values', () => {
  const key = randomBytes(32);

  it('opens with the same key and subject, and never shows the plaintext', () => {
    const sealed = seal(key, 'customer-1', 'li.wei@example.cn');
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('li.wei');
    expect(unseal(key, 'customer-1', sealed)).toBe('li.wei@example.cn');
  });

  it('seals the same value differently each time', () => expect(seal(key, 's', 'x')).not.toBe(seal(key, 's', 'x')));

  it('refuses another subject, another key, and an altered value', () => {
    const sealed = seal(key, 'customer-1', '13800138000');
    expect(() => unseal(key, 'customer-2', sealed)).toThrow();
    expect(() => unseal(randomBytes(32), 'customer-1', sealed)).toThrow();
    const altered = sealed.slice(0, -2) + (sealed.endsWith('AA') ? 'AB' : 'AA');
    expect(() => unseal(key, 'customer-1', altered)).toThrow();
    // A shortened tag must not pass as a weaker one.
    const raw = Buffer.from(sealed.slice('sealed:v1:'.length), 'base64url');
    const shortTag = 'sealed:v1:' + Buffer.concat([raw.subarray(0, 12), raw.subarray(12, 16), raw.subarray(28)]).toString('base64url');
    expect(() => unseal(key, 'customer-1', shortTag)).toThrow();
    expect(() => unseal(key, 'customer-1', 'sealed:v1:AAAA')).toThrow();
  });
});
