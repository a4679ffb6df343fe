import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';

export interface TestDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run integration tests through jest (globalSetup)');
  return url;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A new, empty database on the real server: one per spec file, so specs never share state. */
export async function freshDatabase(options: { install?: (pool: Pool) => Promise<void>; poolSize?: number } = {}): Promise<TestDatabase> {
  const name = `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new Pool({ connectionString: adminUrl(), max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(adminUrl(), name);
  const pool = new Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle connection the server terminates (teardown's DROP … FORCE, a restart) must not
  // crash the test process as an unhandled 'error' event; the next query reconnects.
  pool.on('error', () => undefined);
  await options.install?.(pool);
  return {
    url,
    pool,
    drop: async () => {
      await pool.end();
      const cleanup = new Pool({ connectionString: adminUrl(), max: 1 });
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

export function kafkaBrokers(): string[] {
  const brokers = process.env.TEST_KAFKA_BROKERS;
  if (!brokers) throw new Error('TEST_KAFKA_BROKERS is not set: run integration tests through jest (globalSetup)');
  return brokers.split(',');
}

/**
 * A topic prefix no other spec uses, tagged with this jest run (TEST_RUN_TAG, set by the global
 * setup): the end-of-run payload check reads only its own run's topics, so runs of other
 * checkouts sharing the broker — with other versions of the contracts — are never judged by this one.
 */
export function testTopicPrefix(kind: string): string {
  return `${kind}-${process.env.TEST_RUN_TAG ?? 'untagged'}-${randomUUID().slice(0, 8)}.`;
}

/** A topic name no other spec uses, on the shared broker. */
export function uniqueTopic(base: string): string {
  return `test.${base}.${randomUUID().slice(0, 8)}`;
}

export async function pollUntil<T>(probe: () => Promise<T | undefined | false>, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30000);
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
  throw new Error(`timed out waiting for ${options.what ?? 'condition'}${last ? `: ${last}` : ''}`);
}
