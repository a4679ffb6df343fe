import { Decider, domainError } from '@crm/contracts';

export interface CloseBusinessDay {
  type: 'CloseBusinessDay';
  /** `latest`: the last date that may be closed (today in BUSINESS_TIME_ZONE) when the service refuses future dates. */
  data: { businessDate: string; closedBy: string; latest?: string };
}
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
      if (data.latest !== undefined && data.businessDate > data.latest) {
        throw domainError('business-date-in-future', 'refused',
          `${data.businessDate} has not ended yet: today is ${data.latest} (BUSINESS_TIME_ZONE)`, 'businessDate', { today: data.latest });
      }
      if (state.lastClosed && data.businessDate < state.lastClosed) {
        throw domainError('business-date-before-last-closed', 'conflict',
          `${data.businessDate} is before the last closed business date ${state.lastClosed}`, 'businessDate');
      }
      return [{ type: eventType, schemaVersion: 1, data: { businessDate: data.businessDate, closedBy: data.closedBy } }];
    },
  };
}
