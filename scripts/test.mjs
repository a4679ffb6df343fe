// The one test command (README, CI): lint with module boundaries, type check, unit specs,
// stale-API-document check, Redocly lint of the API documents, then integration and e2e specs on real PostgreSQL and Kafka
// (started by jest's global setup when none is running). Prints one closing line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
// jest needs VM modules; its notice about them is silenced. (kafkajs's TimeoutNegativeWarning
// is fixed where it comes from, in libs/eventing/src/transport/kafkajs-transport.ts.)
const nodeOptions = '--experimental-vm-modules --disable-warning=ExperimentalWarning';
// Redocly's CLI sends no usage data and checks for no update from the test command.
const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${nodeOptions}`.trim(), NX_DAEMON: 'false',
  REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
mkdirSync('.local', { recursive: true });

function run(name, command, args) {
  console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`✖ ${name} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

const totals = { passed: 0, failed: 0 };
function jest(project, extra = []) {
  const out = `.local/jest-${project}.json`;
  run(`${project} tests`, 'node_modules/.bin/jest', ['--selectProjects', project, '--json', `--outputFile=${out}`, ...extra]);
  const report = JSON.parse(readFileSync(out, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
}

/** The boundary rule must still refuse what ARCHITECTURE.md forbids (scripts/boundary-probes.mjs). */
function probes() {
  console.log('\n▶ boundary probes: node scripts/boundary-probes.mjs');
  const result = spawnSync('node', ['scripts/boundary-probes.mjs'], { env, encoding: 'utf8' });
  process.stdout.write(result.stdout);
  const [, passed, failed] = /(\d+) passed, (\d+) failed/.exec(result.stdout) ?? [, '0', '1'];
  totals.passed += Number(passed);
  totals.failed += Number(failed);
  if (result.status !== 0) {
    console.error('✖ boundary probes failed');
    process.exit(1);
  }
}

/** Prometheus's own check of the alert rules, where a promtool can be had (infra/observability/promtool.sh). */
function alertRules() {
  const found = spawnSync('bash', ['infra/observability/promtool.sh'], { encoding: 'utf8' });
  if (found.status !== 0) return console.log('\n▶ alert rules: no promtool on this machine (not Debian-like); skipped');
  run('alert rules', found.stdout.trim(), ['check', 'rules', 'infra/observability/alerts.rules.yaml']);
}

if (!only) {
  // The boundary rule reads Nx's project graph; compute it fresh so lint never skips it.
  run('project graph', 'node_modules/.bin/nx', ['show', 'projects']);
  run('lint', 'node_modules/.bin/eslint', ['.', '--max-warnings=0']);
  probes();
  run('typecheck', 'node_modules/.bin/tsc', ['-p', 'tsconfig.json', '--noEmit']);
  run('api documents', 'node', ['scripts/openapi.cjs', '--check']);
  // Redocly's recommended rules (redocly.yaml): summaries, responses, servers, security…
  run('api lint', 'node_modules/.bin/redocly', ['lint', '--format=summary', ...readdirSync('docs/api').filter((f) => f.endsWith('.openapi.json')).map((f) => `docs/api/${f}`)]);
  run('event catalogue', 'node', ['scripts/asyncapi.cjs', '--check']);
  alertRules();
}
if (!only || only === 'unit') jest('unit');
// Two workers on two cores: specs share the broker and server but not databases or topics.
if (!only || only === 'int') {
  jest('int', ['--maxWorkers=2']);
  // The overdue read-model bench at its smoke size: its fill, every documented query and the
  // open rows agreeing with the history (bench/overdue-smoke.ts fails otherwise).
  run('overdue bench (smoke)', 'node', ['-r', './scripts/ts-register.cjs', 'bench/overdue-smoke.ts', 'smoke']);
}
// Every benchmark at tiny sizes (seconds), so none can rot; it fails when one throws or a
// result key is missing (bench/run.ts --smoke, results in bench/results/smoke-*.json).
if (!only || only === 'bench') {
  run('benchmark smoke', 'node', ['-r', './scripts/ts-register.cjs', 'bench/run.ts', '--smoke']);
  totals.passed += 1;
}
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed`);
