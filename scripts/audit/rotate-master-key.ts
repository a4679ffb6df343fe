import { MasterKeyWrapper, rotateMasterKey } from '@crm/eventing';
import { acceptedMasterKeys } from '@crm/platform';
import { Pool } from 'pg';

const USAGE = `npm run audit -- rotate-master-key [--batch-size N]
  Wraps every customer's personal-data key under PERSONAL_DATA_MASTER_KEY (the new key); keys
  wrapped under one of PERSONAL_DATA_ACCEPTED_MASTER_KEYS (the old key) are unwrapped with it.
  DATABASE_URL: customers' database (default postgres://postgres@127.0.0.1:5432/crm_customers).
  Services keep running: run it once every replica accepts both keys (see README). Safe to re-run.`;

/** `rotate-master-key`: re-wraps the per-customer keys under the new master key; prints counts as JSON. */
export async function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (args.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const batchAt = args.indexOf('--batch-size');
  const batchSize = batchAt >= 0 ? Number(args[batchAt + 1]) : 500;
  const unknown = args.filter((a, i) => a.startsWith('--') && a !== '--batch-size' && !(batchAt >= 0 && i === batchAt + 1));
  const problems: string[] = unknown.map((a) => `unknown option ${a}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) problems.push('--batch-size must be a positive integer');
  const raw = env.PERSONAL_DATA_MASTER_KEY ?? '';
  const current = Buffer.from(raw, 'base64');
  if (current.length !== 32 || current.toString('base64') !== raw) problems.push('PERSONAL_DATA_MASTER_KEY (the new master key) must be 32 bytes written in base64');
  const accepted = acceptedMasterKeys(env, problems);
  if (accepted.length === 0) problems.push('PERSONAL_DATA_ACCEPTED_MASTER_KEYS must name the master key(s) the keys are wrapped under now');
  if (problems.length > 0) {
    process.stderr.write(`${problems.join('\n')}\n\n${USAGE}\n`);
    return 2;
  }
  const pool = new Pool({ connectionString: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/crm_customers', max: 2 });
  try {
    const report = await rotateMasterKey(pool, new MasterKeyWrapper(current, accepted), {
      batchSize, onProgress: (r) => process.stderr.write(`rotate-master-key: ${r.rewrapped} re-wrapped, ${r.current} already current, ${r.erased} erased\n`),
    });
    process.stdout.write(`${JSON.stringify({ rotated: true, ...report })}\n`);
    return 0;
  } finally {
    await pool.end();
  }
}
