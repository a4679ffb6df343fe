import { computeProgress } from './rebuild-progress';

describe('rebuild progress', () => {
  it('derives percent, rate and ETA from two samples', () => {
    expect(computeProgress({ projection: 'p', status: 'running', processed: 3_000, total: 10_000, previous: { processed: 1_000, atMs: 0 }, nowMs: 2_000 }))
      .toEqual({ projection: 'p', status: 'running', processed: 3_000, total: 10_000, percent: 30, eventsPerSecond: 1_000, etaSeconds: 7 });
  });

  it('has no ETA before a rate is known, and 100 % of an empty log', () => {
    expect(computeProgress({ projection: 'p', status: 'running', processed: 0, total: 10, nowMs: 0 }).etaSeconds).toBeNull();
    expect(computeProgress({ projection: 'p', status: 'running', processed: 0, total: 0, nowMs: 0 })).toMatchObject({ percent: 100, etaSeconds: 0 });
  });
});
