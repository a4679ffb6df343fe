import { Decider, ReceivablesEventMap, TypedEvent } from '@crm/contracts';
import { refuse } from '../receivables-errors';
import { periodOf } from './period-gate';

export type AccountingPeriodEvent = TypedEvent<Pick<ReceivablesEventMap, 'AccountingPeriodClosed'>>;

export interface ClosePeriod { type: 'ClosePeriod'; data: { period: string; closedBy: string; closedOn: string } }

/** Receivables' closed accounting periods (a dozen a year: the whole stream stays small). */
export interface AccountingPeriods { closed: Record<string, { closedBy: string; closedOn: string }> }

/**
 * Closing a month is final; closing it again records nothing (the first close stands). A month
 * after the current one (of `closedOn`, today in BUSINESS_TIME_ZONE) cannot be closed; earlier
 * months may be closed in any order (a month kept open for late paperwork may close after the next).
 */
export const accountingPeriodsDecider: Decider<AccountingPeriods, ClosePeriod, AccountingPeriodEvent> = {
  initialState: () => ({ closed: {} }),
  evolve(state, event) {
    state.closed[event.data.period] = { closedBy: event.data.closedBy, closedOn: event.data.closedOn };
    return state;
  },
  decide({ data }, state) {
    if (state.closed[data.period]) return [];
    if (data.period > periodOf(data.closedOn)) {
      throw refuse('period-in-future', 'refused', `the period ${data.period} has not begun: today is ${data.closedOn} (BUSINESS_TIME_ZONE)`, 'period', { today: data.closedOn });
    }
    return [{ type: 'AccountingPeriodClosed', schemaVersion: 1, data: { period: data.period, closedBy: data.closedBy, closedOn: data.closedOn } }];
  },
};
