import { AuditContext } from './audit-cli';

export async function whatIfCommand(context: AuditContext): Promise<number> {
  context.io.err('what-if: not yet available');
  return 2;
}
