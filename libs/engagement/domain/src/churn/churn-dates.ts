const DAY_MS = 86_400_000;

export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** `YYYY-MM` of a date. */
export const monthOf = (isoDate: string) => isoDate.slice(0, 7);

/** The month `months` after (or before, negative) `YYYY-MM`. */
export function addMonths(month: string, months: number): string {
  const [year, m] = month.split('-').map(Number);
  const index = year * 12 + (m - 1) + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export const firstDayOf = (month: string) => `${month}-01`;

export const laterDate = (a: string | null, b: string | null): string | null => (a === null ? b : b === null || a >= b ? a : b);
export const earlierDate = (a: string | null, b: string | null): string | null => (a === null ? b : b === null || a <= b ? a : b);
