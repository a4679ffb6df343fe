import { ChainFinding, verifyStore } from '@crm/eventing';
import { AuditContext, formatCount, stringFlag } from './audit-cli';

/** `audit verify`: every stream's chain and the latest anchor, over the whole store. */
export async function verifyCommand(context: AuditContext): Promise<number> {
  const { io } = context;
  const batchSize = Number(stringFlag(context, 'batch-size') ?? 5000);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('--batch-size must be a positive integer');
  const result = await verifyStore(context.pool, {
    batchSize,
    onProgress: (p) => io.err(`verify ${context.config.serviceName}: ${formatCount(p.events)} events in ${formatCount(p.streams)} streams, ${formatCount(p.eventsPerSecond)} events/s`),
  });
  if (context.flags.has('json')) {
    io.out(JSON.stringify({ service: context.config.serviceName, ...result }));
    return result.valid ? 0 : 1;
  }
  io.out(`${context.config.serviceName}: ${formatCount(result.events)} events in ${formatCount(result.streams)} streams verified in ${(result.durationMs / 1000).toFixed(1)} s (${formatCount(result.eventsPerSecond)} events/s)`);
  if (!result.anchor) io.out('anchor: none recorded yet (AUDIT_ANCHOR_INTERVAL_SECONDS): a whole-table rewrite would not be detected');
  else {
    io.out(`anchor: #${result.anchor.streamVersion} of ${result.anchor.anchoredAt}, ${formatCount(result.anchor.streams)} streams, root ${result.anchor.root.slice(0, 16)}… ${result.anchor.matches ? 'matches' : `DIFFERS (the store's covered heads hash to ${result.anchor.recomputedRoot.slice(0, 16)}…)`}`);
  }
  if (result.valid) {
    io.out('OK: every hash chain is intact');
    return 0;
  }
  io.out(`FAILED: ${result.findings.length} finding(s); the first:`);
  result.findings.forEach((f) => io.out(describe(f)));
  return 1;
}

function describe(f: ChainFinding): string {
  const where = `${f.streamId} version ${f.streamVersion}${f.eventId ? ` (event ${f.eventId}, global position ${f.globalPosition})` : ''}`;
  return `  ${f.kind.toUpperCase()} ${where}: ${f.detail}`;
}
