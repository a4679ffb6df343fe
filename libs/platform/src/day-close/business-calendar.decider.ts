import { Decider, domainError } from '@crm/contracts';

export interface CloseBusinessDay { type: 'CloseBusinessDay'; data: { businessDate: string; closedBy: string } }
/** `<Service>BusinessDayClosed`-style fact; each service publishes its own type (types are unique across services). */
export interface BusinessDayClosed { type: string; schemaVersion: number; data: { businessDate: string; closedBy: string } }
export interface BusinessCalendar { lastClosed: string | null }

/** A service's calendar of closed business dates: forward only; the same date again is a no-op. */
export function businessCalendarDecider(eventType: string): Decider<BusinessCalendar, CloseBusinessDay, BusinessDayClosed> {
  return {
    initialState: () => ({ lastClosed: null }),
    evolve: (state, e) => {
      state.lastClosed = e.data.businessDate;
      return state;
    },
    decide({ data }, state) {
      if (state.lastClosed === data.businessDate) return [];
      if (state.lastClosed && data.businessDate < state.lastClosed) {
        throw domainError('business-date-before-last-closed', 'conflict',
          `${data.businessDate} is before the last closed business date ${state.lastClosed}`, 'businessDate');
      }
      return [{ type: eventType, schemaVersion: 1, data }];
    },
  };
}
