import { CreditEventMap, Decider, domainError, TypedEvent } from '@crm/contracts';

export type CreditBusinessDayEvent = TypedEvent<Pick<CreditEventMap, 'CreditBusinessDayClosed'>>;
export interface CloseCreditBusinessDay { type: 'CloseCreditBusinessDay'; data: { businessDate: string; closedBy: string } }
export interface CreditBusinessDayState { lastClosed: string | null }

/** Credit's calendar of closed business dates: forward only, each date once. */
export const creditBusinessDayDecider: Decider<CreditBusinessDayState, CloseCreditBusinessDay, CreditBusinessDayEvent> = {
  initialState: () => ({ lastClosed: null }),
  decide({ data }, state) {
    if (state.lastClosed === data.businessDate) return [];
    if (state.lastClosed !== null && data.businessDate < state.lastClosed) {
      throw domainError('business-date-before-last-closed', 'conflict', `${data.businessDate} is before the last closed business date ${state.lastClosed}`, 'businessDate');
    }
    return [{ type: 'CreditBusinessDayClosed', schemaVersion: 1, data }];
  },
  evolve: (_state, e) => ({ lastClosed: e.data.businessDate }),
};
