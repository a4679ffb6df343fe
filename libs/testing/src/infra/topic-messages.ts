import { randomUUID } from 'node:crypto';
import { IncomingMessage, Transport } from '@crm/eventing';

/**
 * Every message on the topics now (keys, values, headers), read from the beginning by a group
 * of its own: what a spec greps a topic's whole content with. Stops at the end offsets it found
 * at the start; a topic that does not exist reads as empty.
 */
export async function readTopics(transport: Transport, topics: string[], timeoutMs = 60_000): Promise<IncomingMessage[]> {
  const ends = new Map<string, bigint>();
  let expected = 0n;
  for (const topic of topics) {
    const offsets = await transport.endOffsets(topic).catch(() => []);
    for (const { partition, offset } of offsets) {
      ends.set(`${topic}/${partition}`, BigInt(offset));
      expected += BigInt(offset);
    }
  }
  const present = topics.filter((t) => [...ends.keys()].some((k) => k.startsWith(`${t}/`)));
  if (expected === 0n) return [];
  const messages: IncomingMessage[] = [];
  const groupId = `read-topics-${randomUUID()}`;
  let started: Promise<{ stop(): Promise<void> }> | undefined;
  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`read ${messages.length} of ${expected} messages in ${timeoutMs} ms`)), timeoutMs);
    started = transport.subscribe({
      groupId, topics: present, fromBeginning: true,
      eachBatch: async (batch, control) => {
        const end = ends.get(`${batch.topic}/${batch.partition}`) ?? 0n;
        for (const message of batch.messages) {
          if (BigInt(message.offset) < end) messages.push(message);
          control.resolveOffset(message.offset);
        }
        if (BigInt(messages.length) >= expected) {
          clearTimeout(deadline);
          resolve();
        }
      },
    });
    started.catch(reject);
  });
  await (await started!).stop();
  await transport.deleteGroup(groupId).catch(() => undefined);
  return messages;
}

/** A message as one searchable text: key, every header and the value. */
export function messageText(message: IncomingMessage): string {
  return [message.key ?? '', ...Object.entries(message.headers).map(([k, v]) => `${k}=${v}`), message.value?.toString('utf8') ?? ''].join('\n');
}
