import { isAfter, LogPositionOf, logPositionOf } from '../transport/cloud-event-mapping';
import { DecodedMessage } from './decoded-message';

/** A first copy of an event published behind a higher log position on its partition. */
export interface LateFirstCopy {
  eventId: string;
  topic: string;
  partition: number;
  offset: string;
  position: LogPositionOf;
  behind: LogPositionOf;
}

/**
 * A live consumer's check of what ADR 31's rebuild relies on: on a partition, the first copy of
 * each event comes after every lower log position, so a rebuild may drop anything at or below
 * the highest position it applied as a repeat. A live consumer deduplicates by its inbox, so it
 * can tell a repeat (the inbox knew it) from a late first copy (new to the inbox, behind a
 * higher position seen earlier): the latter is what a rebuild from the topic would silently drop.
 * Positions seen are kept per partition in memory (since this process started); only committed
 * batches count, so a retried batch is not judged against itself.
 */
export class LogOrderWatch {
  private readonly highest = new Map<string, LogPositionOf>();

  /** The messages of one partition's batch (in offset order) whose events the inbox found new and that sit behind a higher position. */
  lateFirstCopies(items: DecodedMessage[], newToInbox: ReadonlySet<string>): LateFirstCopy[] {
    const late: LateFirstCopy[] = [];
    // A batch may hold one event twice (a producer's retry): the inbox took its first copy only.
    const firstInBatch = new Set<string>();
    let highest: LogPositionOf | undefined = items[0] && this.highest.get(partitionOf(items[0]));
    for (const item of items) {
      const position = logPositionOf(item.message);
      const id = item.event?.id;
      const first = id !== undefined && newToInbox.has(id) && !firstInBatch.has(id);
      if (id !== undefined) firstInBatch.add(id);
      if (!position) continue;
      if (highest && !isAfter(position, highest) && first) {
        const { topic, partition, offset } = item.message;
        late.push({ eventId: id, topic, partition, offset, position, behind: highest });
      }
      if (!highest || isAfter(position, highest)) highest = position;
    }
    return late;
  }

  /** After the batch committed: its positions count from now on. */
  committed(items: DecodedMessage[]): void {
    for (const item of items) {
      const position = logPositionOf(item.message);
      if (!position) continue;
      const key = partitionOf(item);
      const highest = this.highest.get(key);
      if (!highest || isAfter(position, highest)) this.highest.set(key, position);
    }
  }
}

const partitionOf = (item: DecodedMessage) => `${item.message.topic}/${item.message.partition}`;
