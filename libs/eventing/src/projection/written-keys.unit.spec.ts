import { randomUUID } from 'node:crypto';
import { WrittenKeys } from './written-keys';

describe('WrittenKeys', () => {
  it('never answers "not written" for a key it marked, and mostly "not written" for others', () => {
    const written = new WrittenKeys();
    const marked = Array.from({ length: 100_000 }, () => `customer-${randomUUID()}`);
    for (const key of marked) written.mark(key);
    expect(marked.every((key) => written.mayHave(key))).toBe(true);
    // 100,000 marks in 16 M bits: about 0.6 % of other keys share a bit (a lookup that finds nothing).
    const others = Array.from({ length: 100_000 }, () => `customer-${randomUUID()}`);
    const sharing = others.filter((key) => written.mayHave(key)).length;
    expect(sharing).toBeLessThan(2_000);
  });

  it('starts empty', () => {
    expect(new WrittenKeys().mayHave('customer-1')).toBe(false);
  });
});
