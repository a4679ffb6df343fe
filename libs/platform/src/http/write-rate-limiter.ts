/** A refusal with the seconds until the actor may write again (the `Retry-After` header). */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many writes: try again in ${retryAfterSeconds} s`);
    this.name = 'RateLimitedError';
  }
}

/**
 * Writes per actor as a token bucket: `burst` at once, refilled at `perMinute`. Kept per
 * replica in memory (a replica's share of the limit; a restart forgets it), bounded in actors:
 * the least recently seen actor's bucket goes first, and a forgotten bucket is a full one.
 */
export class WriteRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perMinute: number, private readonly burst: number, private readonly maxActors = 50_000) {}

  /** Takes one write for `actor` at `nowMs`; the seconds to wait when none is left. */
  take(actor: string, nowMs: number): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    if (this.perMinute === 0) return { allowed: true };
    const perMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(actor) ?? { tokens: this.burst, at: nowMs };
    bucket.tokens = Math.min(this.burst, bucket.tokens + Math.max(0, nowMs - bucket.at) * perMs);
    bucket.at = nowMs;
    // Re-inserted: the map's order is then least recently seen first.
    this.buckets.delete(actor);
    this.buckets.set(actor, bucket);
    if (this.buckets.size > this.maxActors) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
  }
}
