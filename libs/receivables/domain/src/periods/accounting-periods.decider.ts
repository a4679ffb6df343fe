import { Decider, ReceivablesEventMap, TypedEvent } from '@crm/contracts';

export type AccountingPeriodEvent = TypedEvent<Pick<ReceivablesEventMap, 'AccountingPeriodClosed'>>;

export interface ClosePeriod { type: 'ClosePeriod'; data: { period: string; closedBy: string; closedOn: string } }

/** Receivables' closed accounting periods (a dozen a year: the whole stream stays small). */
export interface AccountingPeriods { closed: Record<string, { closedBy: string; closedOn: string }> }

/** Closing a month is final; closing it again records nothing (the first close stands). */
export const accountingPeriodsDecider: Decider<AccountingPeriods, ClosePeriod, AccountingPeriodEvent> = {
  initialState: () => ({ closed: {} }),
  evolve(state, event) {
    state.closed[event.data.period] = { closedBy: event.data.closedBy, closedOn: event.data.closedOn };
    return state;
  },
  decide({ data }, state) {
    if (state.closed[data.period]) return [];
    return [{ type: 'AccountingPeriodClosed', schemaVersion: 1, data: { period: data.period, closedBy: data.closedBy, closedOn: data.closedOn } }];
  },
};
