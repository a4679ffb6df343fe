// The audit CLI: npm run audit -- <verify|rebuild|what-if> --service <name> [options]
//   verify                                          every stream's hash chain and the latest chain anchor
//   rebuild --projection <name|all> [--compare]     replay a read model from offset zero (progress on stderr);
//                                                   --compare diffs the replay against the live rows, live untouched
//   what-if --projection <name> --policy <file.json> replay under another policy into a scratch schema, print the differences
// It runs `apps/<service>/src/main.ts audit …` (in the image: `node dist/apps/<service>/main.js audit …`), so the
// command uses the service's own configuration: DATABASE_URL, KAFKA_BROKERS, KAFKA_TOPIC_PREFIX… Exit 0 fine,
// 1 a finding or a difference, 2 the command could not run.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { root, serviceNames } = require('./workspace.cjs');
const args = process.argv.slice(2);
const at = args.indexOf('--service');
const service = at >= 0 ? args[at + 1] : undefined;
if (!service || !serviceNames.includes(service)) {
  process.stderr.write(`audit: --service must be one of ${serviceNames.join(', ')}\n`);
  process.exit(2);
}
const rest = args.filter((_, i) => i !== at && i !== at + 1);
// The CLI serves no HTTP: in development it needs no secret of its own to validate its configuration.
const development = ['', 'development', 'test'].includes(process.env.NODE_ENV ?? '');
const env = { ...process.env, ...(development && !process.env.AUTH_DEV_SECRET && !process.env.AUTH_MODE ? { AUTH_DEV_SECRET: 'audit-cli-serves-no-http' } : {}) };
const here = path.dirname(fileURLToPath(import.meta.url));
const child = spawn(process.execPath, ['-r', path.join(here, 'ts-register.cjs'), path.join(root, `apps/${service}/src/main.ts`), 'audit', ...rest],
  { stdio: 'inherit', env, cwd: root });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 2 : 0)));
