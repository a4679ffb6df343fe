import { addDays } from './calendar-dates';

/**
 * The contact plan's rule (version 1): days between contacts by ABC class (an unclassified
 * customer counts as C), how many days ahead of its due date the day close schedules the
 * plan's follow-up, and how long a retention follow-up gets after a churn flag.
 */
export const CONTACT_PLAN = {
  version: 1,
  cadenceDays: { A: 30, B: 90, C: 180 } as Record<'A' | 'B' | 'C', number>,
  noticeDays: 7,
  retentionDueInDays: 3,
} as const;

export function cadenceFor(abcClass: 'A' | 'B' | 'C' | null): number {
  return CONTACT_PLAN.cadenceDays[abcClass ?? 'C'];
}

/** When the next plan follow-up is due: `cadence` days after the last contact (or registration). */
export function planDueOn(lastContactOn: string, cadenceDays: number): string {
  return addDays(lastContactOn, cadenceDays);
}
