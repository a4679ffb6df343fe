// A relay in its own process, so a test can SIGKILL it at an exact point: after the broker
// acked batch KILL_AFTER_BATCHES and before that batch's checkpoint is written.
import { Pool } from 'pg';
import { KafkajsTransport, PostgresEventStore, Relay } from '@crm/eventing';

const env = process.env as Record<string, string>;
const pool = new Pool({ connectionString: env.DATABASE_URL });
const transport = new KafkajsTransport({ brokers: env.KAFKA_BROKERS.split(','), clientId: 'relay-child', quiet: true });
let batches = 0;
const relay = new Relay(pool, new PostgresEventStore(pool), transport, {
  name: env.RELAY_NAME,
  topic: env.TOPIC,
  source: 'test',
  batchSize: Number(env.BATCH_SIZE ?? 100),
  idlePollMs: 20,
  leaseMs: 2000,
  afterPublish: async () => {
    batches++;
    if (env.KILL_AFTER_BATCHES && batches >= Number(env.KILL_AFTER_BATCHES)) process.kill(process.pid, 'SIGKILL');
  },
});
relay.start();
process.stdout.write('relay started\n');
