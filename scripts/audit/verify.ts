import { runServiceAudit } from './service-audit';

/** `verify`: every stream's hash chain and the latest chain anchor, over the whole store: audit verify --service <s> [--json] */
export function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runServiceAudit('verify', args, env);
}
