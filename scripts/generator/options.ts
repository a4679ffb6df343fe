import { addDays } from '@crm/contracts';

export interface GeneratorOptions {
  customers: number;
  /** Simulated business days run from `start` for `days` calendar days (the last one is `start + days - 1`). */
  start: string;
  days: number;
  seed: string;
  /** Commands in flight at once (different customers' streams, one pool connection each). */
  concurrency: number;
  /** Share of customers already on the books at the start; the rest register during the run. */
  existingShare: number;
  /** Databases of the four services (the stack's). */
  databases: Record<'customers' | 'credit' | 'receivables' | 'engagement', string>;
  /** Wait at the end until every relay has published everything written. */
  waitForRelays: boolean;
  /** Progress bar on stderr (off: one line per simulated month). */
  progressBar: boolean;
}

/**
 * `demo`: the README's data set (1,000 customers, one year, a few minutes here). `scale`:
 * 1,000,000 customers over a year, about 10 million events (measure it on a slice with
 * `--customers`; see the README's figures).
 */
export const PRESETS = {
  demo: { customers: 1_000, years: 1 },
  scale: { customers: 1_000_000, years: 1 },
} as const;

const USAGE = `npm run load -- [--preset demo|scale] [--customers N] [--years Y | --days D] [--start YYYY-MM-DD]
                     [--seed S] [--concurrency C] [--no-wait] [--no-progress]
Writes each service's events into its own database (DATABASE_URL's server, databases crm_<service>,
or CUSTOMERS_DATABASE_URL, CREDIT_DATABASE_URL, RECEIVABLES_DATABASE_URL, ENGAGEMENT_DATABASE_URL);
the running services' relays publish them and their read models and policies consume them.`;

export class UsageError extends Error {}

function databaseUrl(env: NodeJS.ProcessEnv, service: string): string {
  const own = env[`${service.toUpperCase()}_DATABASE_URL`];
  if (own) return own;
  const url = new URL(env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/crm_${service}`;
  return url.toString();
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env, today = isoDate(new Date())): GeneratorOptions {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${arg}\n${USAGE}`);
    const [name, inline] = arg.slice(2).split('=', 2);
    if (name === 'help') throw new UsageError(USAGE);
    if (inline !== undefined) flags.set(name, inline);
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) flags.set(name, argv[++i]);
    else flags.set(name, true);
  }
  const known = new Set(['preset', 'customers', 'years', 'days', 'start', 'seed', 'concurrency', 'no-wait', 'no-progress', 'existing-share']);
  for (const name of flags.keys()) if (!known.has(name)) throw new UsageError(`unknown option --${name}\n${USAGE}`);
  const text = (name: string) => {
    const v = flags.get(name);
    if (v === true) throw new UsageError(`--${name} needs a value`);
    return v;
  };
  const number = (name: string, min: number, integer = true) => {
    const raw = text(name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got ${raw}`);
    return n;
  };
  const presetName = text('preset');
  if (presetName !== undefined && !(presetName in PRESETS)) throw new UsageError(`--preset must be one of ${Object.keys(PRESETS).join(', ')}, got ${presetName}`);
  const preset = presetName ? PRESETS[presetName as keyof typeof PRESETS] : PRESETS.demo;
  const years = number('years', 0.01, false) ?? preset.years;
  const days = number('days', 1) ?? Math.round(years * 365);
  const start = text('start') ?? addDays(today, -days);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || isoDate(new Date(`${start}T00:00:00Z`)) !== start) throw new UsageError(`--start must be a date YYYY-MM-DD, got ${start}`);
  return {
    customers: number('customers', 1) ?? preset.customers,
    start,
    days,
    seed: text('seed') ?? '1',
    concurrency: number('concurrency', 1) ?? 16,
    existingShare: number('existing-share', 0, false) ?? 0.7,
    databases: {
      customers: databaseUrl(env, 'customers'), credit: databaseUrl(env, 'credit'),
      receivables: databaseUrl(env, 'receivables'), engagement: databaseUrl(env, 'engagement'),
    },
    waitForRelays: !flags.has('no-wait'),
    progressBar: !flags.has('no-progress'),
  };
}
