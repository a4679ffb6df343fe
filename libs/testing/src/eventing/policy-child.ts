// A policy runner in its own process that SIGKILLs itself right after its KILL_AFTER_SEND-th
// command was appended, before the consumer's transaction commits: the crash a redelivery
// must not turn into a second effect.
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { KafkajsTransport, PolicyRunner, PostgresEventStore } from '@crm/eventing';
import { tallyPolicy } from './tally-policy';

const env = process.env as Record<string, string>;
const pool = new Pool({ connectionString: env.DATABASE_URL });
const transport = new KafkajsTransport({ brokers: env.KAFKA_BROKERS.split(','), clientId: `policy-child-${randomUUID()}`, quiet: true });
let sent = 0;
const policy = tallyPolicy(new PostgresEventStore(pool), env.TOPIC, () => {
  if (++sent >= Number(env.KILL_AFTER_SEND)) process.kill(process.pid, 'SIGKILL');
});
void new PolicyRunner(pool, transport, policy, { groupPrefix: env.GROUP_PREFIX }).start();
