import { KeyedMutex } from './keyed-mutex';

describe('KeyedMutex', () => {
  it('runs work of one key one at a time, in arrival order, and other keys alongside', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const step = (key: string, name: string, ms: number) => mutex.run(key, async () => {
      log.push(`${name} start`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`${name} end`);
    });
    await Promise.all([step('a', 'a1', 20), step('a', 'a2', 1), step('b', 'b1', 5)]);
    expect(log.indexOf('a1 end')).toBeLessThan(log.indexOf('a2 start'));
    expect(log.indexOf('b1 start')).toBeLessThan(log.indexOf('a1 end'));
    expect(mutex.keysInUse).toBe(0);
  });

  it('releases the key when the work fails', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run('a', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(mutex.run('a', async () => 42)).resolves.toBe(42);
    expect(mutex.keysInUse).toBe(0);
  });
});
