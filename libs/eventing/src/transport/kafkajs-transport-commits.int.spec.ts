import { kafkaBrokers, pollUntil, uniqueTopic } from '@crm/testing';
import { KafkajsTransport } from './kafkajs-transport';
import { IncomingBatch } from './transport';

/** The group's committed offset of partition 0 (-1 when none). */
async function committed(transport: KafkajsTransport, groupId: string, topic: string): Promise<number> {
  const offsets = await transport.groupOffsets(groupId, topic);
  return Number(offsets.find((o) => o.partition === 0)?.offset ?? -1);
}

describe('kafkajs transport: group offsets are committed on an interval and on stop, not after every batch (real Kafka)', () => {
  let transport: KafkajsTransport;
  afterEach(async () => {
    await transport.close();
  });

  it('keeps a broker round trip off the path between batches, and loses no applied offset when it stops', async () => {
    transport = new KafkajsTransport({ brokers: kafkaBrokers(), clientId: 'commit-spec', quiet: true, commitIntervalMs: 60_000 });
    const topic = uniqueTopic('commits');
    const groupId = `${topic}.group`;
    await transport.ensureTopics([{ topic, partitions: 1 }]);
    const handled: IncomingBatch[] = [];
    const subscription = await transport.subscribe({
      groupId, topics: [topic], fromBeginning: true,
      eachBatch: async (batch, control) => {
        handled.push(batch);
        for (const m of batch.messages) control.resolveOffset(m.offset);
      },
    });
    const seen = () => handled.reduce((n, b) => n + b.messages.length, 0);
    // Three batches, each published after the previous one was handled.
    for (let i = 1; i <= 3; i++) {
      await transport.publish(topic, [{ key: `k${i}`, value: `v${i}`, headers: {} }]);
      await pollUntil(async () => seen() >= i, { what: `message ${i} handled`, timeoutMs: 30_000 });
    }
    expect(handled.length).toBeGreaterThanOrEqual(2);
    // kafkajs's auto-commit would have committed offset 3 by now; within the interval nothing new is committed.
    expect(await committed(transport, groupId, topic)).toBeLessThan(3);
    await subscription.stop();
    expect(await committed(transport, groupId, topic)).toBe(3);
  }, 90_000);
});
