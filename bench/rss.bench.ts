import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, freshDatabase, kafkaBrokers, pollUntil, TEST_AUTH_SECRET, tokenFor } from '@crm/testing';

const root = path.resolve(__dirname, '..');
const SERVICES = ['customers', 'credit', 'receivables', 'engagement'] as const;
/** The V8 flags the image runs with (the Dockerfile's NODE_OPTIONS); BENCH_NODE_FLAGS overrides them. */
const imageFlags = /^ENV NODE_OPTIONS="([^"]*)"/m.exec(readFileSync(path.join(root, 'Dockerfile'), 'utf8'))?.[1] ?? '';
const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? imageFlags).split(' ').filter(Boolean);

export interface RssFigures { service: string; idleMb: number; afterMb: number }

/** Resident set of a process, from /proc (what a container's memory limit counts). */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
}

async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

/**
 * The four services on their compiled build (dist/apps, plain node), idle and after `commands`
 * commands: registrations at customers, then invoices at receivables for those customers (known
 * to receivables through customers' real events); credit and engagement consume meanwhile.
 */
export async function benchRss(commands: number): Promise<RssFigures[]> {
  const build = spawnSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the compiled build failed');
  const prefix = `rss-${Date.now()}.`;
  const running: Array<{ name: string; url: string; child: ChildProcess }> = [];
  try {
    for (const name of SERVICES) {
      const db = await freshDatabase();
      const port = await freePort();
      const child = spawn(process.execPath, [...nodeFlags, path.join(root, 'dist/apps', name, 'main.js')], {
        cwd: root, stdio: 'ignore',
        env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix,
          AUTH_DEV_SECRET: TEST_AUTH_SECRET, PORT: String(port), LOG_LEVEL: 'warn' },
      });
      const url = `http://127.0.0.1:${port}`;
      await pollUntil(() => fetch(`${url}/health/ready`).then((r) => r.ok).catch(() => false), { what: `${name} ready`, timeoutMs: 60_000 });
      running.push({ name, url, child });
    }
    await new Promise((r) => setTimeout(r, 5_000));
    const idle = new Map(running.map((s) => [s.name, rssMb(s.child.pid!)]));
    const at = (name: string) => running.find((s) => s.name === name)!.url;
    const headers = async (role: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(role)}` });
    const sales = await headers('sales');
    const customers: string[] = [];
    const registrations = Math.max(1, Math.floor(commands / 5));
    await inParallel(Array.from({ length: registrations }, (_, i) => i), 8, async (i) => {
      const response = await fetch(`${at('customers')}/v1/customers`, { method: 'POST', headers: sales,
        body: JSON.stringify({ kind: 'company', legalName: `Bench Co ${i}`, region: 'East', tags: ['bench'] }) });
      customers.push(((await response.json()) as { id: string }).id);
    });
    // Receivables learns of the customers from customers' events, as in production.
    await pollUntil(async () => {
      const probe = await fetch(`${at('receivables')}/v1/invoices`, { method: 'POST', headers: sales, body: JSON.stringify(invoice(customers[customers.length - 1])) });
      return probe.status === 201;
    }, { what: 'customers known to receivables', timeoutMs: 120_000, intervalMs: 500 });
    await inParallel(Array.from({ length: commands - registrations - 1 }, (_, i) => i), 8, async (i) => {
      const response = await fetch(`${at('receivables')}/v1/invoices`, { method: 'POST', headers: sales, body: JSON.stringify(invoice(customers[i % customers.length])) });
      if (response.status !== 201) throw new Error(`invoice answered ${response.status}: ${await response.text()}`);
    });
    await new Promise((r) => setTimeout(r, 5_000));
    return running.map((s) => ({ service: s.name, idleMb: idle.get(s.name)!, afterMb: rssMb(s.child.pid!) }));
  } finally {
    await Promise.all(running.map((s) => stop(s.child)));
  }
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

function invoice(customerId: string) {
  return { customerId, currency: 'CNY', issueDate: '2026-03-01', lines: [{ description: 'Tea', quantity: 2, unitPrice: 5_000 }], terms: { type: 'net', days: 30 } };
}
