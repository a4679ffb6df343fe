import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, freshDatabase, kafkaBrokers, pollUntil, TEST_AUTH_SECRET, TestDatabase, tokenFor } from '@crm/testing';

const root = path.resolve(__dirname, '..');
export const SERVICES = ['customers', 'credit', 'receivables', 'engagement'] as const;
export type ServiceName = (typeof SERVICES)[number];
/** The V8 flags the image runs with (the Dockerfile's NODE_OPTIONS); BENCH_NODE_FLAGS overrides them. */
const imageFlags = /^ENV NODE_OPTIONS="([^"]*)"/m.exec(readFileSync(path.join(root, 'Dockerfile'), 'utf8'))?.[1] ?? '';
const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? imageFlags).split(' ').filter(Boolean);

export interface StackService { name: ServiceName; url: string; child: ChildProcess; db: TestDatabase }

/**
 * The four services on their compiled build (dist/apps, plain node with the image's V8 flags),
 * each on its own fresh database, sharing one topic prefix on the real broker: as in the image.
 * RSS and CPU are read per process from /proc, so figures are the service's own.
 */
export class ServiceStack {
  readonly services = new Map<ServiceName, StackService>();
  readonly prefix = `bench-${Date.now()}.`;

  static async start(env: Record<string, string> = {}): Promise<ServiceStack> {
    const build = spawnSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('the compiled build failed');
    const stack = new ServiceStack();
    try {
      // One by one: four migrations and Kafka group joins at once crowd two cores.
      for (const name of SERVICES) await stack.startOne(name, env);
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  private async startOne(name: ServiceName, env: Record<string, string>) {
    const db = await freshDatabase({ poolSize: 4 });
    const port = await freePort();
    const child = spawn(process.execPath, [...nodeFlags, path.join(root, 'dist/apps', name, 'main.js')], {
      cwd: root, stdio: ['ignore', 'inherit', 'inherit'], // LOG_LEVEL=error: only what went wrong
      env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: this.prefix,
        AUTH_DEV_SECRET: TEST_AUTH_SECRET, PORT: String(port), LOG_LEVEL: 'error',
        // One actor sends every command as fast as it can: the per-actor write limit would measure itself.
        RATE_LIMIT_WRITES_PER_MINUTE: '0', ...env },
    });
    const url = `http://127.0.0.1:${port}`;
    this.services.set(name, { name, url, child, db });
    await pollUntil(async () => child.exitCode !== null || fetch(`${url}/health/ready`).then((r) => r.ok).catch(() => false),
      { what: `${name} ready`, timeoutMs: 90_000, intervalMs: 200 });
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
  }

  get(name: ServiceName): StackService {
    return this.services.get(name)!;
  }

  /** The services' database names (to find their PostgreSQL backends). */
  databases(): string[] {
    return [...this.services.values()].map((s) => new URL(s.db.url).pathname.slice(1));
  }

  rssNowMb(name: ServiceName): number {
    return rssMb(this.get(name).child.pid!);
  }

  /** CPU seconds (user + system) the service's process has used so far. */
  cpuSeconds(name: ServiceName): number {
    return processCpuSeconds(this.get(name).child.pid!);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.services.values()].map(async (s) => {
      await stop(s.child);
      await s.db.drop();
    }));
  }
}

/** Request headers with a development token of `role`. */
export async function jsonHeaders(role: string): Promise<Record<string, string>> {
  return { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(role)}` };
}

/** Resident set of a process, from /proc (what a container's memory limit counts). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
}

export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ ticks
}

export async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

/**
 * Open loop: request i is sent at start + i/rate whether or not earlier ones have answered
 * (a closed loop would slow down with the server and hide its queueing). Resolves with each
 * request's latency from its scheduled send time, once all have answered.
 */
export async function openLoop(rate: number, seconds: number, send: (i: number) => Promise<void>): Promise<number[]> {
  const total = Math.max(1, Math.round(rate * seconds));
  const started = performance.now();
  const latencies: number[] = new Array(total);
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const at = started + (i * 1000) / rate;
    const wait = at - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(send(i).then(() => {
      latencies[i] = performance.now() - at;
    }));
  }
  await Promise.all(inFlight);
  return latencies;
}

export function percentiles(samples: number[]): { p50Ms: number; p99Ms: number; maxMs: number } {
  if (samples.length === 0) throw new Error('no samples: nothing was measured');
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
  return { p50Ms: round(at(0.5)), p99Ms: round(at(0.99)), maxMs: round(sorted[sorted.length - 1]) };
}

export function round(x: number) {
  return Math.round(x * 100) / 100;
}

/** SIGTERM, and SIGKILL if the graceful shutdown takes longer than 30 s. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
