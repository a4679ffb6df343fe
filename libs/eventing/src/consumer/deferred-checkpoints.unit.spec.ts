import { DeferredCheckpoints, PartitionOffset } from './deferred-checkpoints';

describe('deferred checkpoints', () => {
  const at = (topic: string, partition: number, offset: string): PartitionOffset => ({ topic, partition, offset });

  it('writes the highest offset of each partition once, in one write, after the delay', async () => {
    const writes: PartitionOffset[][] = [];
    const deferred = new DeferredCheckpoints(async (offsets) => void writes.push(offsets), 20, () => undefined);
    deferred.add(at('a', 0, '9'));
    deferred.add(at('a', 0, '12'));
    deferred.add(at('a', 0, '10'));
    deferred.add(at('a', 1, '3'));
    deferred.add(at('b', 0, '100'));
    expect(writes).toEqual([]);
    await new Promise((r) => setTimeout(r, 60));
    expect(writes).toEqual([[at('a', 0, '12'), at('a', 1, '3'), at('b', 0, '100')]]);
    expect(deferred.size).toBe(0);
  });

  it('keeps what a failed write held for the next one, unless a higher offset came meanwhile', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const writes: PartitionOffset[][] = [];
    const deferred = new DeferredCheckpoints(async (offsets) => {
      if (fail) throw new Error('database down');
      writes.push(offsets);
    }, 10_000, (error) => errors.push(error));
    deferred.add(at('a', 0, '5'));
    deferred.add(at('a', 1, '7'));
    await deferred.flush();
    expect(errors).toHaveLength(1);
    deferred.add(at('a', 0, '8'));
    fail = false;
    await deferred.flush();
    expect(writes).toEqual([[at('a', 0, '8'), at('a', 1, '7')]]);
  });

  it('writes nothing when nothing is pending', async () => {
    const write = jest.fn(async () => undefined);
    await new DeferredCheckpoints(write, 10, () => undefined).flush();
    expect(write).not.toHaveBeenCalled();
  });
});
