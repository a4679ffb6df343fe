import { StreamStateCache } from './stream-state-cache';

const entry = (version: number) => ({ state: { version }, version, snapshotVersion: 0 });

describe('StreamStateCache', () => {
  it('evicts the least recently used stream beyond its capacity', () => {
    const cache = new StreamStateCache<{ version: number }>(2);
    cache.set('a', entry(1));
    cache.set('b', entry(1));
    cache.get('a');
    cache.set('c', entry(1));
    expect([cache.get('a'), cache.get('b'), cache.get('c')].map((e) => e?.version)).toEqual([1, undefined, 1]);
  });

  it('bounds the events folded into all states, re-weighing an entry as its stream grows', () => {
    const cache = new StreamStateCache<{ version: number }>(100, 10);
    cache.set('a', entry(4));
    cache.set('b', entry(4));
    expect(cache.events).toBe(8);
    const grown = cache.get('b')!;
    grown.version = 9;
    cache.set('b', grown);
    // a (4) + b (9) is over 10: the least recently used goes, the one just used stays.
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')?.version).toBe(9);
    expect(cache.events).toBe(9);
  });

  it('keeps one stream even when it alone is over the bound', () => {
    const cache = new StreamStateCache<{ version: number }>(100, 10);
    cache.set('huge', entry(50));
    expect(cache.get('huge')?.version).toBe(50);
  });
});
