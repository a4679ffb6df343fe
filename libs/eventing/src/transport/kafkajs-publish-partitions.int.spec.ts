import { kafkaBrokers, pollUntil, uniqueTopic } from '@crm/testing';
import { KafkajsTransport } from './kafkajs-transport';
import { IncomingMessage } from './transport';
import { partitionOfKey } from './partitioned-sends';

describe('kafkajs transport: a publish is sent partition by partition (real Kafka)', () => {
  let transport: KafkajsTransport;
  afterEach(async () => {
    await transport.close();
  });

  it('lands every message, on its key\'s murmur2 partition, in publish order per key', async () => {
    transport = new KafkajsTransport({ brokers: kafkaBrokers(), clientId: 'partitions-spec', quiet: true });
    const topic = uniqueTopic('partitions');
    await transport.ensureTopics([{ topic, partitions: 6 }]);
    const sent = Array.from({ length: 120 }, (_, i) => ({ key: `customer-${i % 25}`, value: `v${i}`, headers: { n: String(i) } }));
    await transport.publish(topic, sent);
    const received: IncomingMessage[] = [];
    const subscription = await transport.subscribe({
      groupId: `${topic}.group`, topics: [topic], fromBeginning: true,
      eachBatch: async (batch, control) => {
        received.push(...batch.messages);
        for (const m of batch.messages) control.resolveOffset(m.offset);
      },
    });
    await pollUntil(async () => received.length >= sent.length || undefined, { what: 'all 120 messages', timeoutMs: 30_000 });
    await subscription.stop();
    expect(received).toHaveLength(120);
    // partitionOfKey is pinned to kafkajs's own partitioner by the unit spec.
    for (const m of received) expect(m.partition).toBe(partitionOfKey(topic, m.key!, 6));
    const byKey = new Map<string, number[]>();
    for (const m of [...received].sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)))) {
      byKey.set(m.key!, [...(byKey.get(m.key!) ?? []), Number(m.headers.n)]);
    }
    for (const order of byKey.values()) expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(received.map((m) => m.partition)).size).toBeGreaterThan(1);
  }, 90_000);
});
