// `npm run demo`: the stack (as `npm run stack` runs it without Docker compose) plus the demo
// data set — the generator's `demo` preset (1,000 customers, one year up to today) with its
// progress bar — then where to look. Each service's URL is printed once it answers ready.
// The stack keeps running afterwards; Ctrl-C stops it. A second run finds the data loaded
// and only prints where to look. Extra arguments go to the generator (e.g. `-- --seed 7`).
import { spawn } from 'node:child_process';
import pg from 'pg';
import { SERVICES, startLocalStack } from './local-stack.mjs';

const say = (line = '') => console.log(line);
const stack = startLocalStack({
  onReady: (name, url) => say(`demo: ${name} is ready: ${url}  (Swagger UI: ${url}/docs)`),
  // The load sends a year of complaints in minutes: the wall-clock SLA watch would call them late
  // between two simulated hours; the day close still records the breaches of each simulated day.
  env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', SLA_WATCH_SECONDS: process.env.SLA_WATCH_SECONDS ?? '0' },
});

async function shutdown(code) {
  if (stack.isStopping()) return;
  say('\ndemo: stopping …');
  process.exit((await stack.stop()) || code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void shutdown(0));
process.on('exit', () => stack.killNow());

async function query(url, sql, params = []) {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    return (await pool.query(sql, params)).rows;
  } finally {
    await pool.end();
  }
}

function load(infra) {
  const env = { ...process.env, KAFKA_BROKERS: infra.brokers };
  for (const [name, url] of Object.entries(infra.databases)) env[`${name.toUpperCase()}_DATABASE_URL`] = url;
  const child = spawn(process.execPath, ['-r', './scripts/ts-register.cjs', 'scripts/generator/main.ts', '--preset', 'demo', ...process.argv.slice(2)],
    { stdio: ['ignore', 'ignore', 'inherit'], env });
  return new Promise((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the generator exited with ${code}`)))));
}

/** A customer with a long history (most receivables events): the one the hints show. */
async function showcase(infra) {
  const [row] = await query(infra.databases.receivables,
    `SELECT partition_key AS id, count(*) AS n FROM events WHERE stream_id LIKE 'account-%' GROUP BY partition_key ORDER BY n DESC, partition_key LIMIT 1`);
  return row?.id;
}

async function grafana() {
  const url = process.env.GRAFANA_URL ?? 'http://127.0.0.1:3000';
  const up = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1500) }).then((r) => r.ok).catch(() => false);
  return up ? url : undefined;
}

async function main() {
  const infra = await stack.ready;
  if (!infra) return;
  const [{ n }] = await query(infra.databases.customers, `SELECT count(*)::int AS n FROM events WHERE event_type = 'CustomerRegistered'`);
  if (n > 0) say(`\ndemo: the databases already hold ${n} customers: not loading again (drop crm_customers, crm_credit, crm_receivables, crm_engagement for a fresh demo)`);
  else {
    say('\ndemo: loading the demo data set (1,000 customers, one year) …');
    await load(infra);
  }
  const customer = await showcase(infra);
  const dashboards = await grafana();
  const [c, , r, e] = Object.values(SERVICES).map((port) => `http://127.0.0.1:${port}`);
  const bearer = (role) => `-H "authorization: Bearer $(npm run -s token -- ${role})"`;
  say(`
demo: ready. Where to look (development tokens: npm run -s token -- <role>):
  Swagger UI         ${Object.entries(SERVICES).map(([name, port]) => `${name} http://127.0.0.1:${port}/docs`).join('\n                     ')}
  overdue list       curl -s '${r}/v1/overdue?limit=10' ${bearer('collector')}
  aging              curl -s '${r}/v1/aging' ${bearer('collector')}
  loyalty tiers      curl -s '${e}/v1/loyalty/tiers/Gold?limit=10' ${bearer('sales')}   (Member, Silver, Gold, Platinum)
  ABC segments       curl -s '${c}/v1/segments/abc' ${bearer('sales')}
  satisfaction       curl -s '${e}/v1/satisfaction?month=${new Date().toISOString().slice(0, 7)}&segment=tier' ${bearer('sales')}`);
  if (customer) {
    say(`  a customer's history (${customer}):
    customer 360     curl -s '${c}/v1/customers/${customer}/overview' ${bearer('sales')}
    statement        curl -s '${r}/v1/customers/${customer}/statement' ${bearer('collector')}
    loyalty          curl -s '${e}/v1/loyalty/customers/${customer}' ${bearer('sales')}
    interactions     curl -s '${e}/v1/customers/${customer}/interactions' ${bearer('sales')}`);
  }
  say(dashboards ? `  Grafana            ${dashboards} (dashboard: infra/observability/grafana-dashboard.json)`
    : '  Grafana            not running (import infra/observability/grafana-dashboard.json into yours; every service serves /metrics)');
  say('\nThe stack keeps running: Ctrl-C stops it.');
}

main().catch((error) => {
  if (stack.isStopping()) return; // Ctrl-C during the load stops the generator too: nothing to report.
  console.error(`demo: ${error.stack ?? error}`);
  void shutdown(1);
});
