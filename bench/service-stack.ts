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
 * Failed requests of a run by what went wrong (`ECONNRESET`, `HTTP 503`, …): a benchmark counts
 * and reports them with its figures instead of dying on the first one.
 */
export class RequestErrors {
  private readonly counts: Record<string, number> = {};

  count(kind: string): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
  }

  get total(): number {
    return Object.values(this.counts).reduce((n, x) => n + x, 0);
  }

  toJSON(): Record<string, number> {
    return { ...this.counts };
  }
}

/** What a failed fetch says went wrong: the socket's error code (ECONNRESET, ECONNREFUSED, …) when there is one. */
export function fetchFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; name?: string } })?.cause;
  return cause?.code ?? cause?.name ?? (error as Error)?.name ?? 'fetch failed';
}

export interface PostOptions {
  errors: RequestErrors;
  expected?: number;
  /**
   * Tries after a connection-level failure (a reset, a refused connection). Each try carries
   * the same Idempotency-Key, so a request the service did take is answered, not repeated.
   */
  attempts?: number;
  idempotencyKey?: string;
}

/**
 * POSTs JSON and resolves with the answer's JSON on the expected status (201 unless told);
 * otherwise counts the failure in `errors` and resolves undefined.
 */
export async function postJson(url: string, headers: Record<string, string>, body: unknown, options: PostOptions): Promise<unknown> {
  const attempts = options.attempts ?? 1;
  const sent = options.idempotencyKey ? { ...headers, 'idempotency-key': options.idempotencyKey } : headers;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers: sent, body: JSON.stringify(body) });
    } catch (error) {
      options.errors.count(fetchFailure(error));
      if (attempt < attempts) continue;
      return undefined;
    }
    const text = await response.text();
    if (response.status === (options.expected ?? 201)) return text ? JSON.parse(text) : {};
    options.errors.count(`HTTP ${response.status}`);
    return undefined;
  }
}

/**
 * The four services on their compiled build (dist/apps, plain node with the image's V8 flags),
 * each on its own fresh database, sharing one topic prefix on the real broker: as in the image.
 * RSS and CPU are read per process from /proc, so figures are the service's own.
 */
export class ServiceStack {
  readonly services = new Map<ServiceName, StackService>();
  readonly prefix = `bench-${Date.now()}.`;
  /** Services whose process ended before `stop` (a crash, an out-of-memory kill), and how. */
  private readonly exits = new Map<ServiceName, string>();
  private stopping = false;

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
    child.once('exit', (code, signal) => {
      if (!this.stopping) this.exits.set(name, signal ? `signal ${signal}` : `exit code ${code}`);
    });
    this.services.set(name, { name, url, child, db });
    await pollUntil(async () => child.exitCode !== null || fetch(`${url}/health/ready`).then((r) => r.ok).catch(() => false),
      { what: `${name} ready`, timeoutMs: 90_000, intervalMs: 200 });
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
  }

  /** Fails naming each service that died: its clients' resets and refusals are then its crash, not the network's. */
  assertRunning(during: string): void {
    if (this.exits.size === 0) return;
    throw new Error(`during ${during}: ${[...this.exits].map(([name, how]) => `${name} died (${how})`).join(', ')}`);
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
    this.stopping = true;
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
 * (a closed loop would slow down with the server and hide its queueing). Resolves with the
 * latency from its scheduled send time of each request that succeeded (`send` resolves true;
 * it counts its own failures), once all have answered.
 */
export async function openLoop(rate: number, seconds: number, send: (i: number) => Promise<boolean>): Promise<number[]> {
  const total = Math.max(1, Math.round(rate * seconds));
  const started = performance.now();
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const at = started + (i * 1000) / rate;
    const wait = at - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(send(i).then((ok) => {
      if (ok) latencies.push(performance.now() - at);
    }));
  }
  await Promise.all(inFlight);
  return latencies;
}

/** NaN (null in the JSON) without samples: the run's key check then reports the figure as missing. */
export function percentiles(samples: number[]): { p50Ms: number; p99Ms: number; maxMs: number } {
  if (samples.length === 0) return { p50Ms: NaN, p99Ms: NaN, maxMs: NaN };
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
