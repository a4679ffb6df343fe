// npm run bench: every figure of the performance section side by side with its peers in one
// run on the real PostgreSQL and Kafka (append vs Emmett and raw INSERT, rebuild vs raw kafkajs
// consumption, command latency by stream length, day close, end-to-end lag, command load and
// RSS of the compiled services); prints tables and writes bench/results/<time>.json (and
// latest.json for a full run). BENCH_ONLY=append,rebuild,latency,close-day,overdue,services
// runs a subset; BENCH_OVERDUE_SIZE=smoke|medium|scale sizes the overdue read-model bench
// (default scale). `--smoke` (or BENCH_SMOKE=1) runs every benchmark at tiny sizes in seconds, writes
// bench/results/smoke-<time>.json and fails when a benchmark throws or a key is missing: the
// test command runs it so the benchmarks cannot rot.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { installEventing } from '@crm/eventing';
import { benchAppend } from './append.bench';
import { benchCloseDay } from './close-day.bench';
import { benchCommandLatency } from './command-latency.bench';
import { benchCommandLoad } from './command-load.bench';
import { benchE2eLag, LagFigures, prepareAccounts } from './e2e-lag.bench';
import { benchOverdue, OverdueSize } from './overdue.bench';
import { benchRebuild } from './rebuild.bench';
import { RequestErrors, round, ServiceStack } from './service-stack';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensurePostgres, ensureKafka } = require('../infra/local/ensure-infra.cjs');

const smoke = process.argv.includes('--smoke') || process.env.BENCH_SMOKE === '1';
/** Full sizes, and the smoke run's tiny ones (seconds in all). */
const sizes = smoke
  ? { appendScale: 0.02, rebuildEvents: 2_000, latencyLengths: [100, 1_000], latencyCommands: 50, closeDayAccounts: 200, closeDayDue: 10,
    lagAccounts: 40, lagRates: [200], lagSeconds: 2, loadRate: 200, loadSeconds: 1, loadWarmUp: 20, overdueSize: 'smoke' as OverdueSize }
  : { appendScale: 1, rebuildEvents: Number(process.env.BENCH_REBUILD_EVENTS ?? 200_000), latencyLengths: [100, 1_000, 10_000], latencyCommands: 500,
    closeDayAccounts: Number(process.env.BENCH_CLOSE_DAY_ACCOUNTS ?? 100_000), closeDayDue: Number(process.env.BENCH_CLOSE_DAY_DUE ?? 1_000),
    lagAccounts: 1_000, lagRates: (process.env.BENCH_LAG_RATES ?? '50,200,500').split(',').map(Number), lagSeconds: Number(process.env.BENCH_LAG_SECONDS ?? 60), loadRate: 200,
    loadSeconds: Number(process.env.BENCH_LOAD_SECONDS ?? 20), loadWarmUp: 200, overdueSize: (process.env.BENCH_OVERDUE_SIZE ?? 'scale') as OverdueSize };

/** The headline keys each benchmark must produce (a number), checked at the end of every run. */
const KEYS: Record<string, string[]> = {
  append: ['appendVsEmmett', 'appendVsRawInsert'],
  rebuild: ['rebuildVsRawConsume', 'rebuildEventsPerSecond'],
  latency: ['commandLatencyGrowth10kVs100'],
  'close-day': ['closeDayVsCommands'],
  overdue: ['overdueP99Ms', 'agingP99Ms'],
  services: ['e2eLagP99MsAt200', 'commandP99MsAt200', 'rssMaxMb'],
};

async function main() {
  const postgres = await ensurePostgres(() => undefined);
  const kafka = await ensureKafka(() => undefined);
  const database = `bench_${Date.now()}`;
  const admin = new Pool({ connectionString: postgres.url, max: 1 });
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(postgres.url);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  const setup = new Pool({ connectionString: databaseUrl, max: 1 });
  await installEventing(setup);
  await setup.end();

  const cases = [
    { writers: 1, eventsPerCommand: 1, commandsPerWriter: 3000 },
    { writers: 1, eventsPerCommand: 10, commandsPerWriter: 1500 },
    { writers: 8, eventsPerCommand: 1, commandsPerWriter: 1000 },
    { writers: 8, eventsPerCommand: 10, commandsPerWriter: 400 },
  ].map((c) => ({ ...c, commandsPerWriter: Math.max(10, Math.round(c.commandsPerWriter * sizes.appendScale)) }));
  const only = process.env.BENCH_ONLY?.split(',');
  const runs = (name: string) => !only || only.includes(name);
  // The test kit's helpers (fresh databases, service processes) read these.
  process.env.TEST_DATABASE_URL = postgres.url;
  process.env.TEST_KAFKA_BROKERS = kafka.brokers;
  const append = [];
  for (const c of runs('append') ? cases : []) {
    const figures = await benchAppend(databaseUrl, c);
    append.push({ ...c, ...figures, appendVsEmmett: round(figures.ours / figures.emmett), appendVsRawInsert: round(figures.ours / figures.rawInsert) });
  }
  const rebuild = runs('rebuild') ? await benchRebuild(databaseUrl, kafka.brokers.split(','), sizes.rebuildEvents) : undefined;
  const latency = [];
  for (const length of runs('latency') ? sizes.latencyLengths : []) latency.push(await benchCommandLatency(databaseUrl, length, sizes.latencyCommands));
  const closeDay = runs('close-day') ? await benchCloseDay(sizes.closeDayAccounts, sizes.closeDayDue) : undefined;
  const overdue = runs('overdue') ? await benchOverdue(sizes.overdueSize) : undefined;
  const services = runs('services') ? await benchServices() : undefined;

  const [shortest, longest] = [latency[0], latency[latency.length - 1]];
  const lagAt200 = services?.lag.find((l) => l.ratePerSecond === 200);
  const result = {
    measuredAt: new Date().toISOString(),
    smoke,
    machine: { cpus: cpus().length, node: process.version },
    append,
    appendVsEmmett: append.length ? Math.min(...append.map((a) => a.appendVsEmmett)) : null,
    appendVsRawInsert: append.length ? Math.min(...append.map((a) => a.appendVsRawInsert)) : null,
    rebuild: rebuild && { ...rebuild, rebuildVsRawConsume: round(rebuild.rebuild / rebuild.rawConsume) },
    rebuildVsRawConsume: rebuild ? round(rebuild.rebuild / rebuild.rawConsume) : null,
    rebuildEventsPerSecond: rebuild ? rebuild.rebuild : null,
    commandLatency: latency,
    commandLatencyGrowth10kVs100: latency.length ? round(longest.p50Ms / shortest.p50Ms) : null,
    commandLatencyP99Growth10kVs100: latency.length ? round(longest.p99Ms / shortest.p99Ms) : null,
    closeDay,
    closeDayVsCommands: closeDay?.closeDayVsCommands ?? null,
    overdue,
    overdueP99Ms: overdue?.overdueP99Ms ?? null,
    agingP99Ms: overdue?.agingP99Ms ?? null,
    e2eLag: services?.lag ?? [],
    e2eLagP99MsAt200: lagAt200 ? Math.max(lagAt200.loyalty.p99Ms, lagAt200.credit.p99Ms) : null,
    commandLoad: services?.load ?? [],
    commandP99MsAt200: services ? Math.max(...services.load.map((l) => l.p99Ms)) : null,
    rss: services?.rss ?? [],
    servicesSetupErrors: services?.setupErrors ?? {},
    rssMaxMb: services ? Math.max(...services.rss.map((r) => r.underLoadMb)) : null,
    targets: { overdueP99Ms: 20, agingP99Ms: 50, appendVsEmmett: 1.5, appendVsRawInsert: 0.7, rebuildVsRawConsume: 0.5, rebuildEventsPerSecond: 20000,
      commandLatencyGrowth10kVs100: 2, closeDayVsCommands: 1.5, e2eLagP99MsAt200: 250, commandP99MsAt200: 30, rssMaxMb: 200 },
  };
  print(result, rebuild, services);

  const dir = path.join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = result.measuredAt.replaceAll(':', '-');
  const file = path.join(dir, smoke ? `smoke-${stamp}.json` : `${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  // latest.json is the run the README reports: only a full run replaces it.
  if (!only && !smoke) writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`saved ${path.relative(process.cwd(), file)}`);

  await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
  await admin.end();
  await kafka.stop();
  await postgres.stop();

  const missing = Object.entries(KEYS).filter(([name]) => runs(name)).flatMap(([, keys]) => keys)
    .filter((key) => !Number.isFinite((result as Record<string, unknown>)[key]));
  if (missing.length > 0) throw new Error(`benchmark keys missing from the results: ${missing.join(', ')}`);
}

/**
 * The four compiled services on one stack: end-to-end lag at each rate (RSS sampled
 * meanwhile), then each command at a fixed rate.
 */
async function benchServices() {
  const stack = await ServiceStack.start();
  try {
    const setupErrors = new RequestErrors();
    const accounts = await prepareAccounts(stack, sizes.lagAccounts, setupErrors);
    const idleMb = new Map([...stack.services.keys()].map((name) => [name, stack.rssNowMb(name)]));
    const lag: LagFigures[] = [];
    for (const rate of sizes.lagRates) {
      lag.push(await benchE2eLag(stack, accounts, rate, sizes.lagSeconds));
      // Each rate's figures as soon as they exist: a later, heavier rate may not finish.
      console.log(`e2e lag at ${rate}/s: ${JSON.stringify(lag[lag.length - 1])}`);
    }
    const load = await benchCommandLoad(stack, accounts.map((a) => a.id), sizes.loadRate, sizes.loadSeconds, sizes.loadWarmUp);
    const rss = [...stack.services.keys()].map((service) => ({ service, idleMb: idleMb.get(service)!,
      underLoadMb: Math.max(...lag.map((l) => l.rssMb[service] ?? 0)), afterCommandLoadMb: stack.rssNowMb(service) }));
    return { lag, load, rss, setupErrors: setupErrors.toJSON() };
  } finally {
    await stack.stop();
  }
}

function print(result: any, rebuild: any, services: any) {
  if (result.append.length) {
    console.log('\nAppend throughput (events/s)');
    console.table(result.append.map((a: any) => ({ writers: a.writers, 'events/command': a.eventsPerCommand, ours: a.ours, 'raw INSERT': a.rawInsert,
      emmett: a.emmett, 'vs emmett (≥1.5)': a.appendVsEmmett, 'vs raw (≥0.7)': a.appendVsRawInsert })));
  }
  if (rebuild) {
    console.log('Rebuild throughput (events/s)');
    console.table([{ events: rebuild.events, 'raw kafkajs': rebuild.rawConsume, rebuild: rebuild.rebuild,
      'vs raw (≥0.5)': result.rebuildVsRawConsume, '≥20,000/s': rebuild.rebuild >= 20000 ? 'yes' : 'no' }]);
    console.log(`Rebuild CPU seconds over ${rebuild.rebuildWallSeconds} s wall:`);
    console.table([rebuild.rebuildCpuSeconds]);
  }
  if (result.commandLatency.length) {
    console.log(`IssueInvoice latency by stream length (ms); growth 10k vs 100 (p50): ${result.commandLatencyGrowth10kVs100} (target ≤ 2)`);
    console.table(result.commandLatency);
  }
  if (result.closeDay) {
    console.log(`Day close vs plain commands: ${result.closeDayVsCommands} (target ≤ 1.5)`);
    console.table([result.closeDay]);
  }
  const overdue = result.overdue;
  if (overdue) {
    console.log(`Overdue read model, ${overdue.invoices} open invoices (${overdue.size}; filled in ${overdue.fillSeconds} s): `
      + `overdue first pages p99 ${overdue.overdueP99Ms} ms (target < 20), aging p99 ${overdue.agingP99Ms} ms (target < 50), `
      + `asOf pages p99 ${overdue.overdueAsOfP99Ms} ms, worklist p99 ${overdue.worklistP99Ms} ms, a day's score update ${overdue.dayCloseSeconds} s`);
    console.table(overdue.cases);
  }
  if (services) {
    console.log('End-to-end lag, payment 2xx → loyalty read model / credit exposure (ms; target p99 < 250 at 200/s)');
    console.table(services.lag.map((l: any) => ({ 'rate/s': l.ratePerSecond, payments: l.payments, 'loyalty p50': l.loyalty.p50Ms, 'loyalty p99': l.loyalty.p99Ms,
      'credit p50': l.credit.p50Ms, 'credit p99': l.credit.p99Ms, 'accept p99': l.accept.p99Ms, failed: JSON.stringify(l.errors),
      unseen: l.unseen.loyalty + l.unseen.credit, 'oldest open tx s': l.oldestOpenTransactionSeconds })));
    console.log(`setup requests that failed (retried under their Idempotency-Key): ${JSON.stringify(services.setupErrors)}`);
    console.log('Command latency at a fixed rate, compiled services (ms; target p99 < 30 at 200/s), CPU ms per request by process');
    console.table(services.load.map((l: any) => ({ command: l.command, 'rate/s': l.ratePerSecond, p50: l.p50Ms, p99: l.p99Ms, failed: JSON.stringify(l.errors),
      'cpu service': l.cpuMsPerRequest.service, 'cpu postgres': l.cpuMsPerRequest.postgres, 'cpu kafka': l.cpuMsPerRequest.kafka,
      'cpu other services': l.cpuMsPerRequest.otherServices, 'cpu load driver': l.cpuMsPerRequest.loadDriver })));
    console.log('RSS of the compiled services, idle and under the end-to-end load (MB; target < 200)');
    console.table(services.rss);
  }
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
