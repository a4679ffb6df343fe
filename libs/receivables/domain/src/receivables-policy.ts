/**
 * DOMAIN.md defaults. Buckets are days past due; each rule is data so a later
 * `...PolicyChanged` event can replace it without touching the deciders.
 */
export const AGING_BUCKETS = [
  { name: 'not_due', from: -Infinity, to: 0, allowanceRate: 0 },
  { name: '1-30', from: 1, to: 30, allowanceRate: 0.01 },
  { name: '31-60', from: 31, to: 60, allowanceRate: 0.05 },
  { name: '61-90', from: 61, to: 90, allowanceRate: 0.1 },
  { name: '91-180', from: 91, to: 180, allowanceRate: 0.3 },
  { name: '181-365', from: 181, to: 365, allowanceRate: 0.5 },
  { name: '>365', from: 366, to: Infinity, allowanceRate: 1 },
] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number]['name'];

export function agingBucket(daysOverdue: number): AgingBucket {
  return AGING_BUCKETS.find((b) => daysOverdue >= b.from && daysOverdue <= b.to)!.name;
}

/** Allowance in minor units, rounded half up per invoice (integers only, no floats kept). */
export function allowanceFor(outstanding: number, daysOverdue: number): number {
  const rate = AGING_BUCKETS.find((b) => daysOverdue >= b.from && daysOverdue <= b.to)!.allowanceRate;
  return Math.round(outstanding * rate);
}

/** The steps of a dunning ladder: level 1… in order, each from a number of days past due. */
export type DunningLadder = ReadonlyArray<{ level: number; fromDays: number; action: string }>;

export const DUNNING_LADDER = [
  { level: 1, fromDays: 1, action: 'reminder_email' },
  { level: 2, fromDays: 15, action: 'collector_call' },
  { level: 3, fromDays: 30, action: 'formal_demand_letter' },
  { level: 4, fromDays: 60, action: 'final_notice' },
  { level: 5, fromDays: 90, action: 'legal_referral' },
] as const;

export function dunningLevelFor(daysOverdue: number): number {
  return DUNNING_LADDER.filter((s) => daysOverdue >= s.fromDays).reduce((level, s) => Math.max(level, s.level), 0);
}

export function dunningAction(level: number, ladder: DunningLadder = DUNNING_LADDER): string {
  return ladder.find((s) => s.level === level)?.action ?? 'none';
}
