import { deciderSpec } from '@crm/testing';
import { businessCalendarDecider } from './business-calendar.decider';

const spec = deciderSpec(businessCalendarDecider('BusinessDayClosed'));
const closed = (businessDate: string) => ({ type: 'BusinessDayClosed', schemaVersion: 1, data: { businessDate, closedBy: 'ops' } });
const close = (businessDate: string) => ({ type: 'CloseBusinessDay' as const, data: { businessDate, closedBy: 'ops' } });

describe('business day calendar', () => {
  it('closes the first and later dates, as the service\'s own event type', () => {
    spec.given([]).when(close('2026-02-01')).then([closed('2026-02-01')]);
    spec.given([closed('2026-02-01')]).when(close('2026-02-03')).then([closed('2026-02-03')]);
    deciderSpec(businessCalendarDecider('CreditBusinessDayClosed')).given([]).when(close('2026-02-01'))
      .then([{ ...closed('2026-02-01'), type: 'CreditBusinessDayClosed' }]);
  });
  it('is idempotent for the last closed date', () => spec.given([closed('2026-02-01')]).when(close('2026-02-01')).thenNothingHappened());
  it('refuses a date after the latest one allowed (today), and closes today itself', () => {
    spec.given([]).when({ type: 'CloseBusinessDay', data: { businessDate: '2026-02-02', closedBy: 'ops', latest: '2026-02-01' } })
      .thenThrows('business-date-in-future', 'businessDate');
    spec.given([]).when({ type: 'CloseBusinessDay', data: { businessDate: '2026-02-01', closedBy: 'ops', latest: '2026-02-01' } }).then([closed('2026-02-01')]);
  });
  it('refuses a date before the last closed one', () => spec.given([closed('2026-02-03')]).when(close('2026-02-01')).thenThrows('business-date-before-last-closed', 'businessDate'));
});
