import { CreditAccountEvent, event } from './credit-account.events';
import { CreditAccountState } from './credit-account.state';

export interface CloseReviewDay { type: 'CloseReviewDay'; data: { businessDate: string } }

/** A limit whose review date has come is due for review, once (a new approval starts the clock again). */
export function closeReviewDay({ data }: CloseReviewDay, state: CreditAccountState): CreditAccountEvent[] {
  const limit = state.limit;
  if (!limit || limit.reviewRecorded || !limit.reviewDueOn || limit.reviewDueOn > data.businessDate) return [];
  return [event('CreditReviewBecameDue', {
    customerId: state.customerId!, requestId: limit.requestId, limit: limit.amount, currency: limit.currency,
    approvedOn: limit.approvedOn, dueOn: limit.reviewDueOn, businessDate: data.businessDate,
  })];
}

/** When a day close next has work for this customer: the limit's review date (ADR 12's schedule). */
export function nextReviewDue(state: CreditAccountState): string | null {
  const limit = state.limit;
  return limit && !limit.reviewRecorded ? limit.reviewDueOn : null;
}
