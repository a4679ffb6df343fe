/** Injection token: after how long without an event from a service its 360 part is stale (milliseconds). */
export const OVERVIEW_STALE_AFTER = Symbol('OVERVIEW_STALE_AFTER');

/** Default 720 hours (30 days): a service that says nothing about a customer for a month has likely stopped. */
export const DEFAULT_STALE_AFTER_HOURS = 720;

/** `OVERVIEW_STALE_AFTER_HOURS` (a positive number, fractions allowed); anything else stops the start. */
export function overviewStaleAfterMs(env: Record<string, string | undefined>): number {
  const raw = env.OVERVIEW_STALE_AFTER_HOURS;
  if (raw === undefined || raw === '') return DEFAULT_STALE_AFTER_HOURS * 3_600_000;
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours <= 0) throw new Error(`OVERVIEW_STALE_AFTER_HOURS must be a positive number of hours, not '${raw}'`);
  return Math.round(hours * 3_600_000);
}
