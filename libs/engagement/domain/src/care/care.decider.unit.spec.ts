import { deciderSpec } from '@crm/testing';
import { careCalendarDecider, CareEvent, CreateHolidayTask } from './care-calendar.decider';
import { careHolidaysDecider, CareHolidaysEvent, DEFAULT_CARE_HOLIDAYS, holidaysOn } from './care-holidays';

const spec = deciderSpec(careCalendarDecider);
const CUSTOMER = '22222222-2222-4222-8222-222222222222';
const CONTACT = '33333333-3333-4333-8333-333333333333';
const TASK = '44444444-4444-4444-8444-444444444444';

const birthday = (channels: Array<'email' | 'sms' | 'phone' | 'wechat'>, on = '2026-11-30') => ({
  type: 'CreateBirthdayTask' as const, data: { taskId: TASK, customerId: CUSTOMER, contactId: CONTACT, on, channels, causedBy: 'due-1' },
});
const holiday = (channels: Array<'email' | 'sms' | 'phone' | 'wechat'>): CreateHolidayTask => ({
  type: 'CreateHolidayTask', data: { taskId: TASK, customerId: CUSTOMER, holiday: 'Spring Festival', on: '2026-02-17', channels, holidaysVersion: 0, causedBy: 'close-1' },
});

describe('care tasks by consent', () => {
  it('makes a birthday task on the consented channels, once per contact and date', () => {
    const created: CareEvent = { type: 'CareTaskCreated', schemaVersion: 1, data: { taskId: TASK, customerId: CUSTOMER, contactId: CONTACT, occasion: 'birthday', holiday: null,
      on: '2026-11-30', channels: ['email', 'wechat'], holidaysVersion: null, causedBy: 'due-1' } };
    spec.given([]).when(birthday(['wechat', 'email'])).then([created]);
    spec.given([created]).when(birthday(['wechat', 'email'])).thenNothingHappened();
    spec.given([created]).when(birthday(['email'], '2027-11-30')).then(([e]) => expect(e.data).toMatchObject({ on: '2027-11-30' }));
  });

  it('still makes a birthday task with no consented channel (channels []: a personal greeting, nothing sent)', () =>
    spec.given([]).when(birthday([])).then(([e]) => expect(e.data).toMatchObject({ occasion: 'birthday', channels: [] })));

  it('makes a holiday task on the consented channels with the configuration version, and none without a consented channel', () => {
    spec.given([]).when(holiday(['sms'])).then(([e]) => expect(e.data).toMatchObject({ occasion: 'holiday', holiday: 'Spring Festival', contactId: null,
      channels: ['sms'], holidaysVersion: 0 }));
    spec.given([]).when(holiday([])).thenNothingHappened();
    spec.given(careCalendarDecider.decide(holiday(['sms']), careCalendarDecider.initialState())).when(holiday(['sms', 'email'])).thenNothingHappened();
  });
});

describe('the holiday configuration', () => {
  const holidaysSpec = deciderSpec(careHolidaysDecider);
  const configure = (holidays: Array<{ name: string; dates: string[] }>) => ({ type: 'ConfigureCareHolidays' as const, data: { holidays, configuredBy: 'admin-1' } });

  it('defaults to Spring Festival and Mid-Autumn Festival (version 0)', () => {
    expect(holidaysOn(DEFAULT_CARE_HOLIDAYS, '2026-02-17')).toEqual(['Spring Festival']);
    expect(holidaysOn(DEFAULT_CARE_HOLIDAYS, '2027-09-15')).toEqual(['Mid-Autumn Festival']);
    expect(holidaysOn(DEFAULT_CARE_HOLIDAYS, '2026-02-18')).toEqual([]);
  });

  it('records each change as the next version, dates sorted and unique; the same list again records nothing', () => {
    const list = [{ name: 'Dragon Boat Festival', dates: ['2026-06-19', '2026-06-19'] }];
    const event: CareHolidaysEvent = { type: 'CareHolidaysConfigured', schemaVersion: 1, data: { version: 1, holidays: [{ name: 'Dragon Boat Festival', dates: ['2026-06-19'] }], configuredBy: 'admin-1' } };
    holidaysSpec.given([]).when(configure(list)).then([event]);
    holidaysSpec.given([event]).when(configure(list)).thenNothingHappened();
    holidaysSpec.given([event]).when(configure([])).then(([e]) => expect(e.data).toMatchObject({ version: 2, holidays: [] }));
  });

  it('refuses a holiday named twice, naming holidays', () =>
    holidaysSpec.given([]).when(configure([{ name: 'A', dates: [] }, { name: 'A ', dates: [] }])).thenThrows('duplicate-holiday', 'holidays'));
});
