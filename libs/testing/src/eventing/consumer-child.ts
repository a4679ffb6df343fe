// A consumer in its own process that SIGKILLs itself inside batch KILL_IN_BATCH, after the
// handler wrote its rows and before the transaction commits: a crash mid-batch.
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { ConsumerRunner, KafkajsTransport } from '@crm/eventing';
import { ReceivedEventsHandler } from './received-events-handler';

const env = process.env as Record<string, string>;
const pool = new Pool({ connectionString: env.DATABASE_URL });
const transport = new KafkajsTransport({ brokers: env.KAFKA_BROKERS.split(','), clientId: `consumer-child-${randomUUID()}`, quiet: true });
const inner = new ReceivedEventsHandler(env.RECEIVED);
let batches = 0;
const runner = new ConsumerRunner(pool, transport, {
  handle: async (events, context) => {
    await inner.handle(events, context);
    if (++batches >= Number(env.KILL_IN_BATCH)) process.kill(process.pid, 'SIGKILL');
  },
}, { name: env.CONSUMER, groupId: env.GROUP_ID, topics: [env.TOPIC], inboxTable: env.INBOX });
void runner.start();
