// npm run bench: append and rebuild throughput, command latency by stream length and day close,
// side by side in one run on the real PostgreSQL and Kafka; prints tables and writes
// bench/results/<time>.json (and latest.json for a full run). BENCH_ONLY=append,rebuild,latency,rss,close-day,overdue
// runs a subset; BENCH_OVERDUE_SIZE=smoke|medium|scale sizes the overdue read-model bench (default scale).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { installEventing } from '@crm/eventing';
import { benchAppend } from './append.bench';
import { benchCloseDay } from './close-day.bench';
import { benchCommandLatency } from './command-latency.bench';
import { benchOverdue, OverdueSize } from './overdue.bench';
import { benchRebuild } from './rebuild.bench';
import { benchRss } from './rss.bench';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensurePostgres, ensureKafka } = require('../infra/local/ensure-infra.cjs');

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
  ];
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
  const rebuildEvents = Number(process.env.BENCH_REBUILD_EVENTS ?? 200_000);
  const rebuild = runs('rebuild') ? await benchRebuild(databaseUrl, kafka.brokers.split(','), rebuildEvents) : undefined;
  const latency = [];
  for (const length of runs('latency') ? [100, 1_000, 10_000] : []) latency.push(await benchCommandLatency(databaseUrl, length, 500));
  const rss = runs('rss') ? await benchRss(Number(process.env.BENCH_RSS_COMMANDS ?? 10_000)) : [];
  const closeDay = runs('close-day')
    ? await benchCloseDay(Number(process.env.BENCH_CLOSE_DAY_ACCOUNTS ?? 100_000), Number(process.env.BENCH_CLOSE_DAY_DUE ?? 1_000))
    : undefined;
  const overdue = runs('overdue') ? await benchOverdue((process.env.BENCH_OVERDUE_SIZE ?? 'scale') as OverdueSize) : undefined;
  const [shortest, longest] = [latency[0], latency[latency.length - 1]];
  const result = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    append,
    appendVsEmmett: append.length ? Math.min(...append.map((a) => a.appendVsEmmett)) : null,
    appendVsRawInsert: append.length ? Math.min(...append.map((a) => a.appendVsRawInsert)) : null,
    rebuild: rebuild && { ...rebuild, rebuildVsRawConsume: round(rebuild.rebuild / rebuild.rawConsume) },
    rebuildVsRawConsume: rebuild ? round(rebuild.rebuild / rebuild.rawConsume) : null,
    commandLatency: latency,
    commandLatencyGrowth10kVs100: latency.length ? round(longest.p50Ms / shortest.p50Ms) : null,
    commandLatencyP99Growth10kVs100: latency.length ? round(longest.p99Ms / shortest.p99Ms) : null,
    closeDay,
    closeDayVsCommands: closeDay?.closeDayVsCommands ?? null,
    rss,
    rssMaxMb: rss.length ? Math.max(...rss.map((r) => r.afterMb)) : null,
    overdue,
    overdueP99Ms: overdue?.overdueP99Ms ?? null,
    agingP99Ms: overdue?.agingP99Ms ?? null,
    targets: { overdueP99Ms: 20, agingP99Ms: 50, appendVsEmmett: 1.5, appendVsRawInsert: 0.7, rebuildVsRawConsume: 0.5, rebuildEventsPerSecond: 20000,
      commandLatencyGrowth10kVs100: 2, closeDayVsCommands: 1.5, rssMaxMb: 200 },
  };

  if (append.length) {
    console.log('\nAppend throughput (events/s)');
    console.table(append.map((a) => ({ writers: a.writers, 'events/command': a.eventsPerCommand, ours: a.ours, 'raw INSERT': a.rawInsert,
      emmett: a.emmett, 'vs emmett (≥1.5)': a.appendVsEmmett, 'vs raw (≥0.7)': a.appendVsRawInsert })));
  }
  if (rebuild) {
    console.log('Rebuild throughput (events/s)');
    console.table([{ events: rebuild.events, 'raw kafkajs': rebuild.rawConsume, rebuild: rebuild.rebuild,
      'vs raw (≥0.5)': result.rebuildVsRawConsume, '≥20,000/s': rebuild.rebuild >= 20000 ? 'yes' : 'no' }]);
    console.log(`Rebuild CPU seconds over ${rebuild.rebuildWallSeconds} s wall:`);
    console.table([rebuild.rebuildCpuSeconds]);
  }
  if (latency.length) {
    console.log(`IssueInvoice latency by stream length (ms); growth 10k vs 100 (p50): ${result.commandLatencyGrowth10kVs100} (target ≤ 2)`);
    console.table(latency);
  }
  if (rss.length) {
    console.log(`RSS of the compiled services, idle and after ${process.env.BENCH_RSS_COMMANDS ?? 10_000} commands (MB; target < 200)`);
    console.table(rss);
  }
  if (closeDay) {
    console.log(`Day close vs plain commands: ${closeDay.closeDayVsCommands} (target ≤ 1.5)`);
    console.table([closeDay]);
  }

  if (overdue) {
    console.log(`Overdue read model, ${overdue.invoices} open invoices (${overdue.size}; filled in ${overdue.fillSeconds} s): `
      + `overdue first pages p99 ${overdue.overdueP99Ms} ms (target < 20), aging p99 ${overdue.agingP99Ms} ms (target < 50), `
      + `asOf pages p99 ${overdue.overdueAsOfP99Ms} ms, worklist p99 ${overdue.worklistP99Ms} ms, a day's score update ${overdue.dayCloseSeconds} s`);
    console.table(overdue.cases);
  }

  const dir = path.join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${result.measuredAt.replaceAll(':', '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  // latest.json is the run the README reports: only a full run replaces it.
  if (!only) writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`saved ${path.relative(process.cwd(), file)}`);

  await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
  await admin.end();
  await kafka.stop();
  await postgres.stop();
}

function round(x: number) {
  return Math.round(x * 100) / 100;
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
