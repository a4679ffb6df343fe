import { DayCloseContext, DayCloseWork } from './day-close.options';
import { DayCloseWorkParts } from './day-close.policy';

class RecordingPart implements DayCloseWork {
  readonly closed: string[] = [];
  constructor(private readonly keys: string[], private readonly recorded: string) {}
  async due(): Promise<string[]> { return this.keys; }
  async close(key: string): Promise<string[]> { this.closed.push(key); return [this.recorded]; }
}

const context = {} as DayCloseContext;

describe('DayCloseWorkParts', () => {
  it('lists the parts\' keys in the order the parts are named, each prefixed by its part', async () => {
    const parts = new DayCloseWorkParts([['loyalty', new RecordingPart(['c1', 'c2'], 'A')], ['churn', new RecordingPart(['c1'], 'B')]]);
    expect(await parts.due('2026-01-01')).toEqual(['loyalty:c1', 'loyalty:c2', 'churn:c1']);
  });

  it('sends each key to its own part, without the prefix (keys may hold colons)', async () => {
    const loyalty = new RecordingPart([], 'A');
    const churn = new RecordingPart([], 'B');
    const parts = new DayCloseWorkParts([['loyalty', loyalty], ['churn', churn]]);
    expect(await parts.close('churn:c1:extra', '2026-01-01', context)).toEqual(['B']);
    expect(churn.closed).toEqual(['c1:extra']);
    expect(loyalty.closed).toEqual([]);
  });

  it('refuses a key naming no part (a run begun under another configuration)', async () => {
    const parts = new DayCloseWorkParts([['loyalty', new RecordingPart([], 'A')]]);
    await expect(parts.close('care:c1', '2026-01-01', context)).rejects.toThrow(/names no part/);
  });
});
