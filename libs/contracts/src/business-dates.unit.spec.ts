import { addDays, addMonths, daysBetween, earlierDate, isIsoDate, laterDate } from './business-dates';

describe('business dates (YYYY-MM-DD, UTC calendar arithmetic)', () => {
  it('adds days across months, years and leap days, and counts the days between', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2026-03-10', '2026-03-01')).toBe(-9);
  });

  it('adds months keeping the day, or the month\'s last day when it has none', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonths('2026-11-15', -24)).toBe('2024-11-15');
  });

  it('knows a real calendar date from a look-alike', () => {
    expect(['2026-02-28', '2028-02-29'].map(isIsoDate)).toEqual([true, true]);
    expect(['2026-02-29', '2026-13-01', '26-01-01', '2026-1-1'].map(isIsoDate)).toEqual([false, false, false, false]);
  });

  it('picks the later or earlier of two optional dates', () => {
    expect([laterDate(null, '2026-01-02'), laterDate('2026-01-03', '2026-01-02'), laterDate(null, null)]).toEqual(['2026-01-02', '2026-01-03', null]);
    expect([earlierDate('2026-01-03', null), earlierDate('2026-01-03', '2026-01-02')]).toEqual(['2026-01-03', '2026-01-02']);
  });
});
