import { businessDate } from './business-clock';

describe('business date', () => {
  it('is the calendar day in the business time zone', () => {
    const instant = new Date('2026-03-01T23:30:00Z');
    expect(businessDate(instant, 'UTC')).toBe('2026-03-01');
    expect(businessDate(instant, 'Asia/Shanghai')).toBe('2026-03-02');
    expect(businessDate(new Date('2026-03-01T03:00:00Z'), 'America/New_York')).toBe('2026-02-28');
  });
});
