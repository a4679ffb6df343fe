import { runServiceAudit } from './service-audit';

/** `what-if`: replays under another policy into a scratch schema and prints the differences: audit what-if --service <s> --projection <name> --policy <file.json> */
export function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runServiceAudit('what-if', args, env);
}
