import { totalsChange } from './aging-history';

describe('totalsChange: what rewriting an invoice history changes in the totals of each day', () => {
  const stretch = (validFrom: string, validTo: string, outstanding: number, dueDate = '2026-01-31') => ({ validFrom, validTo, currency: 'CNY', dueDate, outstanding });

  it('a payment dated after the last stretch start changes the days from its date on only', () => {
    const before = [stretch('2026-01-01', 'infinity', 10_000)];
    const after = [stretch('2026-01-01', '2026-02-12', 10_000), stretch('2026-02-12', 'infinity', 6_000)];
    expect(totalsChange(before, after)).toEqual([
      { ...stretch('2026-02-12', 'infinity', 10_000), count: -1 },
      { ...stretch('2026-02-12', 'infinity', 6_000), count: 1 },
    ]);
  });

  it('identical histories change nothing, and a history that ends removes its stretches', () => {
    const history = [stretch('2026-01-01', '2026-02-01', 10_000), stretch('2026-02-01', 'infinity', 4_000)];
    expect(totalsChange(history, history)).toEqual([]);
    expect(totalsChange(history, [stretch('2026-01-01', '2026-02-01', 10_000)])).toEqual([{ ...stretch('2026-02-01', 'infinity', 4_000), count: -1 }]);
  });

  it('a changed due date moves the amount between due dates over the same days', () => {
    expect(totalsChange([stretch('2026-01-01', '2026-03-01', 500)], [stretch('2026-01-01', '2026-03-01', 500, '2026-02-28')])).toEqual([
      { ...stretch('2026-01-01', '2026-03-01', 500), count: -1 },
      { ...stretch('2026-01-01', '2026-03-01', 500, '2026-02-28'), count: 1 },
    ]);
  });
});
