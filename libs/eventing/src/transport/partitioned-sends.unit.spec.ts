import { Partitioners } from 'kafkajs';
import { byPartition } from './partitioned-sends';

describe('a publish grouped by partition', () => {
  const messages = Array.from({ length: 60 }, (_, i) => ({ key: `customer-${i % 20}`, value: `v${i}`, headers: { n: String(i) } }));

  it('puts each message on the partition the producer\'s partitioner picks for its key, and sets it', () => {
    const metadata = Array.from({ length: 6 }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));
    const producers = Partitioners.DefaultPartitioner();
    const groups = byPartition('t', messages, 6);
    for (const [partition, group] of groups) {
      for (const m of group) {
        expect(m.partition).toBe(partition);
        expect(producers({ topic: 't', partitionMetadata: metadata, message: { key: m.key, value: m.value } })).toBe(partition);
      }
    }
    expect([...groups.values()].flat()).toHaveLength(60);
    expect(groups.size).toBeGreaterThan(1);
  });

  it('keeps the publish order within each partition, so a key\'s events stay in order', () => {
    for (const group of byPartition('t', messages, 6).values()) {
      const order = group.map((m) => Number(m.headers.n));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });
});
