// npm run bench: append and rebuild throughput side by side in one run, on the real
// PostgreSQL and Kafka; prints a table and writes bench/results/<time>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { installEventing } from '@crm/eventing';
import { benchAppend } from './append.bench';
import { benchRebuild } from './rebuild.bench';

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
  const only = process.env.BENCH_ONLY;
  const append = [];
  for (const c of only === 'rebuild' ? [] : cases) {
    const figures = await benchAppend(databaseUrl, c);
    append.push({ ...c, ...figures, appendVsEmmett: round(figures.ours / figures.emmett), appendVsRawInsert: round(figures.ours / figures.rawInsert) });
  }
  const rebuildEvents = Number(process.env.BENCH_REBUILD_EVENTS ?? 200_000);
  const rebuild = await benchRebuild(databaseUrl, kafka.brokers.split(','), rebuildEvents);
  const result = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    append,
    appendVsEmmett: append.length ? Math.min(...append.map((a) => a.appendVsEmmett)) : null,
    appendVsRawInsert: append.length ? Math.min(...append.map((a) => a.appendVsRawInsert)) : null,
    rebuild: { ...rebuild, rebuildVsRawConsume: round(rebuild.rebuild / rebuild.rawConsume) },
    rebuildVsRawConsume: round(rebuild.rebuild / rebuild.rawConsume),
    targets: { appendVsEmmett: 1.5, appendVsRawInsert: 0.7, rebuildVsRawConsume: 0.5, rebuildEventsPerSecond: 20000 },
  };

  console.log('\nAppend throughput (events/s)');
  console.table(append.map((a) => ({ writers: a.writers, 'events/command': a.eventsPerCommand, ours: a.ours, 'raw INSERT': a.rawInsert,
    emmett: a.emmett, 'vs emmett (≥1.5)': a.appendVsEmmett, 'vs raw (≥0.7)': a.appendVsRawInsert })));
  console.log('Rebuild throughput (events/s)');
  console.table([{ events: rebuild.events, 'raw kafkajs': rebuild.rawConsume, rebuild: rebuild.rebuild,
    'vs raw (≥0.5)': result.rebuildVsRawConsume, '≥20,000/s': rebuild.rebuild >= 20000 ? 'yes' : 'no' }]);
  console.log(`Rebuild CPU seconds over ${rebuild.rebuildWallSeconds} s wall:`);
  console.table([rebuild.rebuildCpuSeconds]);

  const dir = path.join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${result.measuredAt.replaceAll(':', '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
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
