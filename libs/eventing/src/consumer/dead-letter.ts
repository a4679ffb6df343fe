import { Logger } from 'pino';
import { Transport } from '../transport/transport';
import { keyOf } from './decoded-message';
import { ParkedEvent } from './parked-events';

/**
 * Copies parked events to the dead-letter topic with the error in `dlt_*` headers. Called
 * after the commit, so the copy never announces a parking that rolled back. Best effort: a
 * crash in between loses the copy, never the parked event, which the table keeps.
 */
export async function copyToDeadLetterTopic(input: {
  transport: Transport;
  topic: string;
  consumer: string;
  parked: ParkedEvent[];
  logger?: Logger;
}): Promise<void> {
  try {
    await input.transport.publish(input.topic, input.parked.map(({ item, error }) => ({
      key: item.message.key ?? keyOf(item),
      value: item.message.value ?? '',
      headers: {
        ...item.message.headers,
        dlt_consumer: input.consumer,
        dlt_error: error.slice(0, 2000),
        dlt_original_topic: item.message.topic,
        dlt_original_partition: String(item.message.partition),
        dlt_original_offset: item.message.offset,
      },
    })));
  } catch (error) {
    input.logger?.warn({ err: error, consumer: input.consumer }, 'could not copy parked events to the dead-letter topic');
  }
}
