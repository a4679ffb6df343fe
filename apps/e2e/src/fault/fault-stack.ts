import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { OwnKafkaCluster, OwnPostgres, RunningService, startService, TEST_AUTH_SECRET } from '@crm/testing';

const root = path.resolve(__dirname, '../../../..');

export const SERVICES = ['customers', 'credit', 'receivables', 'engagement'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** One replica of a service: a process that can be killed and started again on the same database. */
export class Replica {
  running: RunningService | null = null;
  /** What the replica's earlier processes (before a kill) wrote, for the failure report. */
  private earlier = '';
  constructor(readonly service: ServiceName, readonly index: number, readonly env: Record<string, string>) {}

  get url(): string | null { return this.running?.url ?? null; }

  async start(): Promise<number> {
    const started = Date.now();
    try {
      // The production bundle, as the image runs it (buildBundles below).
      this.running = await startService(this.service, this.env, 240_000, { bundle: true });
    } catch (error) {
      this.earlier += String(error);
      throw error;
    }
    return Date.now() - started;
  }

  /** kill -9: no shutdown hook runs, in-flight requests and transactions are cut off. */
  async kill(): Promise<void> {
    const running = this.running;
    this.running = null;
    await running?.stop('SIGKILL');
    this.earlier += running?.output() ?? '';
  }

  /** Everything every process of this replica wrote so far. */
  output(): string { return this.earlier + (this.running?.output() ?? ''); }
}

/** Two replicas of each service on one PostgreSQL (a database each) and a three-broker Kafka. */
export async function startReplicas(postgres: OwnPostgres, kafka: OwnKafkaCluster, prefix: string): Promise<Record<ServiceName, Replica[]>> {
  const replicas = {} as Record<ServiceName, Replica[]>;
  await Promise.all(SERVICES.map(async (service) => {
    await postgres.createDatabase(service);
    const env = {
      DATABASE_URL: postgres.urlOf(service), KAFKA_BROKERS: kafka.brokers, KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_TOPIC_PARTITIONS: '3', KAFKA_REPLICATION_FACTOR: String(kafka.size), AUTH_DEV_SECRET: TEST_AUTH_SECRET, LOG_LEVEL: 'info',
    };
    replicas[service] = [new Replica(service, 0, env), new Replica(service, 1, env)];
    // The first replica migrates and creates the topics; the second then joins its groups.
    for (const replica of replicas[service]) await replica.start();
  }));
  return replicas;
}

/** The services' production bundles (scripts/build.mjs), which the replicas run. */
export function buildBundles(): void {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  if (build.status !== 0) throw new Error(`the production build failed:\n${build.stdout}${build.stderr}`);
}

export const liveUrls = (replicas: Replica[]) => () => replicas.map((r) => r.url).filter((u): u is string => u !== null);

/** `npm run audit -- <args> --service <s>` with a replica's configuration: exit code and output. */
export function audit(replica: Replica, ...args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [path.join(root, 'scripts/audit.cjs'), ...args, '--service', replica.service],
    { env: { ...process.env, NODE_OPTIONS: '', ...replica.env, LOG_LEVEL: 'warn' }, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}
