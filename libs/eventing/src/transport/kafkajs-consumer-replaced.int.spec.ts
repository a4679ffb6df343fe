import { randomUUID } from 'node:crypto';
import { pollUntil, testTransport, uniqueTopic } from '@crm/testing';
import { KafkajsTransport } from './kafkajs-transport';
import { Subscription } from './transport';

/**
 * kafkajs stops a consumer for good after a non-retriable error (it emits CRASH with
 * restart: false), and the group's partitions then wait for nobody. The transport replaces
 * such a consumer. A TypeError out of a batch is one kafkajs never restarts from; broker
 * outages end the same way ("No broker available"), which this spec cannot cause on the shared broker.
 */
describe('a consumer kafkajs gives up on is replaced (real Kafka)', () => {
  let transport: KafkajsTransport;
  let subscription: Subscription | undefined;

  beforeAll(() => { transport = testTransport('consumer-replaced'); });
  afterAll(async () => {
    await subscription?.stop();
    await transport.close();
  });

  it('keeps consuming after kafkajs crashed the consumer without restarting it', async () => {
    const topic = uniqueTopic('consumer-replaced');
    await transport.ensureTopics([{ topic, partitions: 1 }]);
    const ids = Array.from({ length: 3 }, () => randomUUID());
    await transport.publish(topic, ids.map((id) => ({ key: 'k', value: id, headers: {} })));
    const seen: string[] = [];
    let batches = 0;
    subscription = await transport.subscribe({
      groupId: `consumer-replaced-${randomUUID()}`, topics: [topic], fromBeginning: true,
      eachBatch: async (batch, control) => {
        // The first batch fails as a bug would: kafkajs treats a TypeError as unrecoverable.
        if (batches++ === 0) throw new TypeError('first batch fails');
        for (const message of batch.messages) {
          seen.push(message.value!.toString('utf8'));
          control.resolveOffset(message.offset);
        }
      },
    });
    await pollUntil(async () => seen.length >= ids.length, { what: 'every message consumed by the replacement', timeoutMs: 60_000, intervalMs: 200 });
    expect(seen).toEqual(ids);
    expect(batches).toBeGreaterThanOrEqual(2);
  });
});
