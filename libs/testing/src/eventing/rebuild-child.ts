// Starts a projection rebuild in its own process and SIGKILLs itself once the rebuild
// reports KILL_AT_PERCENT, before the swap: a crash halfway through a rebuild.
import { Pool } from 'pg';
import { KafkajsTransport, ProjectionRunner } from '@crm/eventing';
import { counterProjection } from './counter-projection';

const env = process.env as Record<string, string>;
const pool = new Pool({ connectionString: env.DATABASE_URL });
const transport = new KafkajsTransport({ brokers: env.KAFKA_BROKERS.split(','), clientId: 'rebuild-child', quiet: true });
const runner = new ProjectionRunner(pool, transport, counterProjection(env.TOPIC), {
  groupPrefix: env.GROUP_PREFIX,
  // Small batches, so the rebuild is still running when it reaches KILL_AT_PERCENT.
  maxBytesPerPartition: 32 * 1024,
  onProgress: (p) => {
    if (p.percent >= Number(env.KILL_AT_PERCENT)) {
      process.stdout.write(`killed at ${p.percent}\n`);
      process.kill(process.pid, 'SIGKILL');
    }
  },
});
void runner.start().then(() => runner.startRebuild());
