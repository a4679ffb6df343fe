import { Decider, ReceivablesEventMap, TypedEvent, WorklistSegmentPolicyChangedV1 } from '@crm/contracts';
import { refuse } from '../receivables-errors';
import { PaidInvoice } from './payment-prediction';

export const WORKLIST_SEGMENTS = ['low-hanging-fruit', 'at-risk', 'deprioritized'] as const;
export type WorklistSegment = (typeof WORKLIST_SEGMENTS)[number];

/** The segment rules as a version: what each placement cites (`WorklistSegmentPolicyChanged` without who changed it). */
export type SegmentRules = Omit<WorklistSegmentPolicyChangedV1, 'changedBy' | 'changedOn'>;

/**
 * Version 1, in force until the first `PUT /v1/collections/segment-policy`. A customer "usually
 * pays" with at least `usuallyPays.minPaidInvoices` paid invoices whose median lateness is at
 * most `usuallyPays.maxMedianDaysLate` days; "habitually late" the same from the other side.
 */
export const SEGMENT_RULES: SegmentRules = {
  version: 1,
  usuallyPays: { minPaidInvoices: 3, maxMedianDaysLate: 5 },
  smallBalance: { maxOutstanding: 100_000 },
  nearLimit: { minUtilization: 0.8 },
  severalDunningLevels: { minLevel: 3 },
  habituallyLate: { minPaidInvoices: 3, minMedianDaysLate: 30 },
};

export type SegmentPolicyEvent = TypedEvent<Pick<ReceivablesEventMap, 'WorklistSegmentPolicyChanged'>>;
export interface ChangeSegmentPolicy { type: 'ChangeSegmentPolicy'; data: Omit<SegmentRules, 'version'> & { changedBy: string; changedOn: string } }

const RULE_PARTS = ['usuallyPays', 'smallBalance', 'nearLimit', 'severalDunningLevels', 'habituallyLate'] as const;

/**
 * A change is a new version when a threshold differs (the same rules again record nothing). A
 * customer cannot both usually pay and be habitually late: the late threshold must lie above
 * the punctual one (400 naming `habituallyLate.minMedianDaysLate`).
 */
function change({ data }: ChangeSegmentPolicy, state: SegmentRules): SegmentPolicyEvent[] {
  if (data.habituallyLate.minMedianDaysLate <= data.usuallyPays.maxMedianDaysLate) {
    throw refuse('segment-rules-overlap', 'invalid', `habituallyLate.minMedianDaysLate (${data.habituallyLate.minMedianDaysLate}) must be more than `
      + `usuallyPays.maxMedianDaysLate (${data.usuallyPays.maxMedianDaysLate}): a customer would both usually pay and be habitually late`, 'habituallyLate.minMedianDaysLate');
  }
  const { changedBy, changedOn, ...rules } = data;
  if (RULE_PARTS.every((part) => JSON.stringify(rules[part]) === JSON.stringify(state[part]))) return [];
  return [{ type: 'WorklistSegmentPolicyChanged', schemaVersion: 1, data: { version: state.version + 1, ...rules, changedBy, changedOn } }];
}

/** The versioned segment rules (stream `worklist-segment-policy`): each change a new version, the same rules again nothing. */
export const segmentPolicyDecider: Decider<SegmentRules, ChangeSegmentPolicy, SegmentPolicyEvent> = {
  initialState: () => structuredClone(SEGMENT_RULES),
  evolve: (state, e) => {
    const { changedBy: _by, changedOn: _on, ...rules } = e.data;
    return Object.assign(state, rules);
  },
  decide: (command, state) => change(command, state),
};

/** What the rules read about one overdue invoice and its customer (all as of the list's date). */
export interface SegmentFacts {
  asOf: string;
  outstanding: number;
  currency: string;
  dunningLevel: number;
  disputed: boolean;
  promisedDate: string | null;
  brokenPromises: number;
  paid: PaidInvoice[];
  /** The customer's credit limit in its currency, and its open amount in that currency. */
  limit: { amount: number; currency: string } | null;
  openInLimitCurrency: number;
  /** The customer's payments not yet matched to invoices, in the invoice's currency. */
  unmatchedCash: number;
}

export interface SegmentPlacement {
  segment: WorklistSegment;
  rule: string;
  policyVersion: number;
  inputs: Record<string, number | string | null>;
}

function medianDaysLate(paid: PaidInvoice[]): number | null {
  if (paid.length === 0) return null;
  const sorted = paid.map((p) => p.daysLate).sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** The first rule of `segment` that places the invoice there, or null (pure). */
export function placeInSegment(segment: WorklistSegment, f: SegmentFacts, rules: SegmentRules = SEGMENT_RULES): SegmentPlacement | null {
  const median = medianDaysLate(f.paid);
  const placed = (rule: string, inputs: SegmentPlacement['inputs']): SegmentPlacement => ({ segment, rule, policyVersion: rules.version, inputs });
  if (segment === 'deprioritized') {
    if (f.disputed) return placed('open-dispute', { disputed: 'yes' });
    if (f.promisedDate !== null && f.promisedDate >= f.asOf) return placed('promise-not-yet-due', { promisedDate: f.promisedDate });
    if (f.unmatchedCash > 0) return placed('unmatched-cash', { unmatchedCash: f.unmatchedCash });
    return null;
  }
  // The other segments are for invoices being collected: not disputed, no promise pending.
  if (f.disputed || (f.promisedDate !== null && f.promisedDate >= f.asOf)) return null;
  if (segment === 'at-risk') {
    if (f.brokenPromises > 0) return placed('broken-promise', { brokenPromises: f.brokenPromises });
    if (f.dunningLevel >= rules.severalDunningLevels.minLevel) return placed('several-dunning-levels', { dunningLevel: f.dunningLevel });
    if (median !== null && f.paid.length >= rules.habituallyLate.minPaidInvoices && median >= rules.habituallyLate.minMedianDaysLate) {
      return placed('habitually-late', { medianDaysLate: median, paidInvoices: f.paid.length });
    }
    return null;
  }
  const usuallyPays = median !== null && f.paid.length >= rules.usuallyPays.minPaidInvoices && median <= rules.usuallyPays.maxMedianDaysLate;
  if (!usuallyPays) return null;
  if (f.outstanding <= rules.smallBalance.maxOutstanding) {
    return placed('usually-pays-small-balance', { medianDaysLate: median, paidInvoices: f.paid.length, outstanding: f.outstanding });
  }
  const utilization = f.limit && f.limit.amount > 0 ? f.openInLimitCurrency / f.limit.amount : null;
  if (utilization !== null && utilization >= rules.nearLimit.minUtilization) {
    return placed('usually-pays-near-limit', { medianDaysLate: median, utilization: Math.round(utilization * 1000) / 1000, limit: f.limit!.amount });
  }
  return null;
}
