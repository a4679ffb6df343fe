import { BusinessDayClosedV1, Decider } from '@crm/contracts';
import { refuse } from '../receivables-errors';

export interface CloseBusinessDay { type: 'CloseBusinessDay'; data: { businessDate: string; closedBy: string } }
export type BusinessDayEvent = { type: 'BusinessDayClosed'; schemaVersion: 1; data: BusinessDayClosedV1 };
export interface BusinessDayState { lastClosed: string | null }

/** The calendar of closed business dates: forward only; the same date again is a no-op. */
export const businessDayDecider: Decider<BusinessDayState, CloseBusinessDay, BusinessDayEvent> = {
  initialState: () => ({ lastClosed: null }),
  evolve: (_state, e) => ({ lastClosed: e.data.businessDate }),
  decide({ data }, state) {
    if (state.lastClosed === data.businessDate) return [];
    if (state.lastClosed && data.businessDate < state.lastClosed) {
      throw refuse('business-date-before-last-closed', 'conflict', `${data.businessDate} is before the last closed business date ${state.lastClosed}`, 'businessDate');
    }
    return [{ type: 'BusinessDayClosed', schemaVersion: 1, data }];
  },
};
