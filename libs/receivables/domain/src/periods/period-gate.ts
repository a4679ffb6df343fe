import { LateEntryV1 } from '@crm/contracts';
import { refuse } from '../receivables-errors';

/** Gate kind of accounting periods in the append's gate table (one gate per `YYYY-MM`). */
export const PERIOD_GATE = 'accounting-period';

/** The accounting period (calendar month, `YYYY-MM`) of a business date. */
export const periodOf = (date: string): string => date.slice(0, 7);

/**
 * What a command dating an entry needs to know about periods, read in its append's
 * transaction (so a close in flight is seen, or waits): which of the periods it may date
 * into are closed, and whether its actor may post into a closed one (role `admin`).
 */
export interface PeriodContext { closed: string[]; lateEntryAllowed: boolean }

/** Is `date` in a period the context read as closed (false without a context: nothing was read). */
export function inClosedPeriod(date: string, periods: PeriodContext | undefined): boolean {
  return periods?.closed.includes(periodOf(date)) ?? false;
}

/**
 * May an entry dated `date` be recorded? In an open period: yes. In a closed one only as a
 * late entry, by an admin giving a reason (recorded on the event); otherwise 422
 * `period-closed` naming the date field.
 */
export function lateEntryFor(date: string, field: string, periods: PeriodContext | undefined, reason: string | undefined): LateEntryV1 | undefined {
  const period = periodOf(date);
  if (!periods?.closed.includes(period)) return undefined;
  if (reason === undefined) {
    throw refuse('period-closed', 'refused', `the accounting period ${period} is closed: nothing dated ${date} can be entered (an admin may, with lateEntryReason)`, field, { period });
  }
  if (!periods.lateEntryAllowed) {
    throw refuse('late-entry-not-allowed', 'forbidden', `only an admin may enter ${date} into the closed period ${period}`, 'lateEntryReason', { period });
  }
  return { period, reason };
}
