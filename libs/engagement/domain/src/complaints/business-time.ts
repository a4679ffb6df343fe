/** Business dates and instants in the business time zone: pure (the zone is an argument, never the clock). */

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function businessDateOf(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
}

export function addHours(instant: string, hours: number): string {
  return new Date(Date.parse(instant) + hours * 3_600_000).toISOString();
}

/** Minutes the zone's wall clock is ahead of UTC at an instant. */
function offsetMinutes(at: number, timeZone: string): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((wall - at) / 60_000);
}

/** The instant a business date ends: midnight that starts the next date in the zone. */
export function endOfBusinessDate(date: string, timeZone: string): string {
  const nextMidnightUtc = Date.parse(`${date}T00:00:00Z`) + 86_400_000;
  let at = nextMidnightUtc - offsetMinutes(nextMidnightUtc, timeZone) * 60_000;
  // Once more: the offset at the answer may differ from the guess's across a DST change.
  at = nextMidnightUtc - offsetMinutes(at, timeZone) * 60_000;
  return new Date(at).toISOString();
}
