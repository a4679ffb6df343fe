import { runServiceAudit } from './service-audit';

/** `rebuild`: a read model from offset zero, progress on stderr; --compare diffs it with the live rows: audit rebuild --service <s> --projection <name|all> [--compare] */
export function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runServiceAudit('rebuild', args, env);
}
