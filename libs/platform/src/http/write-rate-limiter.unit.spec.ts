import { WriteRateLimiter } from './write-rate-limiter';

describe('per-actor write rate limit (token bucket)', () => {
  it('lets a burst through, then refuses with the seconds until the next write, refilling at the rate', () => {
    const limiter = new WriteRateLimiter(60, 3);
    const at = (ms: number) => limiter.take('li.wei', ms);
    expect([at(0), at(0), at(0)].every((t) => t.allowed)).toBe(true);
    expect(at(0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(at(500)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(at(1000)).toEqual({ allowed: true });
    expect(at(1000).allowed).toBe(false);
    // Idle for a minute: back to a full burst, never more.
    expect([at(61_000), at(61_000), at(61_000)].every((t) => t.allowed)).toBe(true);
    expect(at(61_000).allowed).toBe(false);
  });

  it('counts each actor on its own, and a slow rate asks for a longer wait', () => {
    const limiter = new WriteRateLimiter(6, 1);
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('a', 0)).toEqual({ allowed: false, retryAfterSeconds: 10 });
    expect(limiter.take('b', 0).allowed).toBe(true);
  });

  it('is off at a rate of 0, and forgets the least recently seen actor beyond its bound (a full bucket again)', () => {
    const off = new WriteRateLimiter(0, 1);
    expect(Array.from({ length: 100 }, () => off.take('a', 0)).every((t) => t.allowed)).toBe(true);
    const bounded = new WriteRateLimiter(1, 1, 2);
    bounded.take('a', 0);
    bounded.take('b', 0);
    bounded.take('c', 0);
    expect(bounded.take('a', 0).allowed).toBe(true);
    expect(bounded.take('c', 0).allowed).toBe(false);
  });
});
