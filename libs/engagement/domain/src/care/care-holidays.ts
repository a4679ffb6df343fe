import { CareHolidaysConfiguredV1, Decider, domainError, EngagementEventMap, TypedEvent } from '@crm/contracts';

export interface CareHoliday { name: string; dates: string[] }
export interface CareHolidays { version: number; holidays: CareHoliday[] }

/**
 * Version 0, in force until the first `PUT /v1/care/holidays`. Spring Festival 2030 is left out:
 * the ICU Chinese calendar puts it on 2030-02-02 and published calendars on 2030-02-03 (as ICU
 * says 2027-02-07 against the official 2027-02-06), so only years both agree on, plus 2027.
 */
export const DEFAULT_CARE_HOLIDAYS: CareHolidays = {
  version: 0,
  holidays: [
    { name: 'Spring Festival', dates: ['2025-01-29', '2026-02-17', '2027-02-06', '2028-01-26', '2029-02-13'] },
    { name: 'Mid-Autumn Festival', dates: ['2025-10-06', '2026-09-25', '2027-09-15', '2028-10-03', '2029-09-22', '2030-09-12'] },
  ],
};

/** The configured holidays falling on a business date. */
export const holidaysOn = (config: CareHolidays, date: string): string[] =>
  config.holidays.filter((h) => h.dates.includes(date)).map((h) => h.name);

export type CareHolidaysEvent = TypedEvent<Pick<EngagementEventMap, 'CareHolidaysConfigured'>>;
export interface ConfigureCareHolidays { type: 'ConfigureCareHolidays'; data: { holidays: CareHoliday[]; configuredBy: string } }

const same = (a: CareHoliday[], b: CareHoliday[]) => JSON.stringify(a) === JSON.stringify(b);

function configure({ data }: ConfigureCareHolidays, state: CareHolidays): CareHolidaysEvent[] {
  const names = data.holidays.map((h) => h.name.trim());
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw domainError('duplicate-holiday', 'invalid', `holiday ${duplicate} is named twice`, 'holidays');
  const holidays = data.holidays.map((h, i) => ({ name: names[i], dates: [...new Set(h.dates)].sort() }));
  if (same(holidays, state.holidays)) return [];
  const configured: CareHolidaysConfiguredV1 = { version: state.version + 1, holidays, configuredBy: data.configuredBy };
  return [{ type: 'CareHolidaysConfigured', schemaVersion: 1, data: configured }];
}

/** The versioned holiday configuration (stream `care-holidays`): each change a new version, the same list again nothing. */
export const careHolidaysDecider: Decider<CareHolidays, ConfigureCareHolidays, CareHolidaysEvent> = {
  initialState: () => ({ version: DEFAULT_CARE_HOLIDAYS.version, holidays: DEFAULT_CARE_HOLIDAYS.holidays.map((h) => ({ ...h, dates: [...h.dates] })) }),
  evolve: (state, e) => {
    state.version = e.data.version;
    state.holidays = e.data.holidays;
    return state;
  },
  decide: (command, state) => configure(command, state),
};
