import { Partitioners } from 'kafkajs';
import { OutgoingMessage } from './transport';

export type PartitionedMessage = OutgoingMessage & { partition: number };

/**
 * The messages of a publish grouped by partition, each with its partition set: the one the
 * producer's partitioner (the Java client's murmur2 of the key) would pick among
 * `partitionCount` partitions, so a key stays on its partition.
 *
 * Why a send per partition: kafkajs's `send` keeps the answer of each broker across its retries
 * and retries only the brokers that have none. When a partition's leader moves, mid-send, to a
 * broker that already answered for other partitions (a broker restart), that partition's
 * messages are sent to nobody and `send` resolves as if they had been written (kafkajs PR
 * #1798). The fault test lost 3 and 10 relayed events so, behind a checkpoint that had moved on.
 * A send of one partition has one broker, and its retry goes to the new leader.
 */
export function byPartition(topic: string, messages: OutgoingMessage[], partitionCount: number): Map<number, PartitionedMessage[]> {
  const groups = new Map<number, PartitionedMessage[]>();
  for (const message of messages) {
    const partition = partitionOfKey(topic, message.key, partitionCount);
    const group = groups.get(partition) ?? [];
    group.push({ ...message, partition });
    groups.set(partition, group);
  }
  return groups;
}

const partitioner = Partitioners.DefaultPartitioner();

/** The partition the producer's partitioner gives a key (it reads only the partition count for a keyed message). */
export function partitionOfKey(topic: string, key: string, partitionCount: number): number {
  const partitionMetadata = Array.from({ length: partitionCount }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));
  return partitioner({ topic, partitionMetadata, message: { key, value: null } });
}
