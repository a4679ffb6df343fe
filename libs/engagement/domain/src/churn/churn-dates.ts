/** Months as `YYYY-MM` (churn keeps purchases in monthly buckets); days come from @crm/contracts. */

/** `YYYY-MM` of a date. */
export const monthOf = (isoDate: string) => isoDate.slice(0, 7);

/** The month `months` after (or before, negative) `YYYY-MM`. */
export function addMonthsToMonth(month: string, months: number): string {
  const [year, m] = month.split('-').map(Number);
  const index = year * 12 + (m - 1) + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export const firstDayOf = (month: string) => `${month}-01`;
