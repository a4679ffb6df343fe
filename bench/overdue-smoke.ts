// The overdue read-model bench at its smoke size, part of the test command: the fill, every
// documented query and the figures' keys must work (timings at this size say little).
// `npm run bench` with BENCH_ONLY=overdue runs it at a real size.
import { benchOverdue, OverdueSize } from './overdue.bench';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensurePostgres } = require('../infra/local/ensure-infra.cjs');

async function main() {
  const postgres = await ensurePostgres(() => undefined);
  process.env.TEST_DATABASE_URL ??= postgres.url;
  const size = (process.argv[2] ?? 'smoke') as OverdueSize;
  const figures = await benchOverdue(size);
  console.table(figures.cases);
  const { cases: _cases, ...keys } = figures;
  console.log(JSON.stringify(keys));
  const empty = figures.cases.filter((c) => c.rows === 0 && !c.case.includes('customer') && !c.case.includes('asOf'));
  await postgres.stop();
  if (empty.length > 0) throw new Error(`bench cases read nothing: ${empty.map((c) => c.case).join(', ')}`);
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
