import { spawn } from 'node:child_process';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { root, serviceNames } = require('../workspace.cjs') as { root: string; serviceNames: string[] };

/**
 * `verify`, `rebuild` and `what-if` run inside a service's own entry point (`main.ts audit …`,
 * in the image `node dist/apps/<service>/main.js audit …`), so they read exactly the service's
 * configuration (DATABASE_URL, KAFKA_BROKERS, KAFKA_TOPIC_PREFIX…), read models, upcasters and
 * policies. Exit 0 fine, 1 a finding or a difference, 2 the command could not run.
 */
export function runServiceAudit(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const at = args.indexOf('--service');
  const service = at >= 0 ? args[at + 1] : undefined;
  if (!service || !serviceNames.includes(service)) {
    process.stderr.write(`audit ${command}: --service must be one of ${serviceNames.join(', ')}\n`);
    return Promise.resolve(2);
  }
  const rest = args.filter((_, i) => i !== at && i !== at + 1);
  // The CLI serves no HTTP: in development it needs no token secret to pass the configuration check.
  const development = ['', 'development', 'test'].includes(env.NODE_ENV ?? '');
  const childEnv = { ...env, ...(development && !env.AUTH_DEV_SECRET && !env.AUTH_MODE ? { AUTH_DEV_SECRET: 'audit-cli-serves-no-http' } : {}) };
  const child = spawn(process.execPath, ['-r', path.join(root, 'scripts/ts-register.cjs'), path.join(root, `apps/${service}/src/main.ts`), 'audit', command, ...rest],
    { stdio: 'inherit', env: childEnv, cwd: root });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 2 : 0))));
}
