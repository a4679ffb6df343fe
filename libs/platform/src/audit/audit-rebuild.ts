import { compareCompanions, compareDocuments, CompanionComparison, DocumentComparison, DocumentProjection, ProjectionRunner, rebuildAside, RebuildProgress } from '@crm/eventing';
import { AuditContext, formatCount, stringFlag } from './audit-cli';

/** Picks `--projection <name>` of the service, or every one for `all`. */
export function projectionsNamed(context: AuditContext): DocumentProjection[] {
  const name = stringFlag(context, 'projection');
  const names = context.projections.map((p) => p.name);
  if (!name) throw new Error(`--projection is required: one of ${names.join(', ') || '(this service has no read models)'}, or all`);
  if (name === 'all') return context.projections;
  const found = context.projections.find((p) => p.name === name);
  if (!found) throw new Error(`${context.config.serviceName} has no read model named ${name}: one of ${names.join(', ')}`);
  return [found];
}

export function runnerFor(context: AuditContext, projection: DocumentProjection, onProgress?: (p: RebuildProgress) => void): ProjectionRunner {
  return new ProjectionRunner(context.pool, context.transport(), projection, {
    groupPrefix: groupPrefix(context), upcasters: context.upcasters, onProgress,
  });
}

export function groupPrefix(context: AuditContext): string {
  return `${context.config.kafkaTopicPrefix}${context.config.serviceName}`;
}

/** A progress line at most every second: percent, events/s, ETA. */
export function progressPrinter(context: AuditContext, label: string): (p: RebuildProgress) => void {
  let last = 0;
  return (p) => {
    if (Date.now() - last < 1000) return;
    last = Date.now();
    const eta = p.etaSeconds === null ? '?' : `${p.etaSeconds} s`;
    context.io.err(`${label} ${p.projection}: ${p.percent.toFixed(1)} % (${formatCount(p.processed)}/${formatCount(p.total)}), ${formatCount(p.eventsPerSecond)} events/s, ETA ${eta}`);
  };
}

/**
 * `audit rebuild --projection <name|all> [--compare]`. Without --compare: the read model's
 * rebuild (shadow tables from offset zero, swapped in when caught up), as the admin endpoint
 * starts it. With --compare: the same replay into scratch tables, diffed against the live rows
 * (exit 1 on any difference, printing the first rows); live data is not touched.
 */
export async function rebuildCommand(context: AuditContext): Promise<number> {
  let code = 0;
  for (const projection of projectionsNamed(context)) {
    code = Math.max(code, context.flags.has('compare') ? await compare(context, projection) : await rebuild(context, projection));
  }
  return code;
}

async function rebuild(context: AuditContext, projection: DocumentProjection): Promise<number> {
  const print = progressPrinter(context, 'rebuild');
  const runner = runnerFor(context, projection, print);
  await context.transport().ensureTopics(projection.topics.map((topic) => ({ topic, partitions: context.config.kafkaPartitions })));
  await runner.install();
  try {
    await runner.startRebuild();
    while (runner.progress.status !== 'completed') await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    await runner.stop();
  }
  const p = runner.progress;
  context.io.out(context.flags.has('json') ? JSON.stringify({ projection: projection.name, rebuilt: true, events: p.processed })
    : `${projection.name}: rebuilt from offset zero (${formatCount(p.processed)} events) and swapped in`);
  return 0;
}

async function compare(context: AuditContext, projection: DocumentProjection): Promise<number> {
  const runner = runnerFor(context, projection);
  await runner.install();
  const { documents, companions } = await rebuildAside({
    pool: context.pool, transport: context.transport(), runner, projection, groupPrefix: groupPrefix(context),
    onProgress: progressPrinter(context, 'replay'),
    // The documents and every SQL companion table (e.g. the overdue list's open rows, versions and totals), in one snapshot.
    inspect: async (snapshot, tables) => ({
      documents: await compareDocuments(snapshot, tables.live.documents, tables.rebuilt.documents),
      companions: await compareCompanions(snapshot, projection, tables.live.documents, tables.rebuilt.documents),
    }),
  });
  const differing = documents.differing + companions.reduce((n, c) => n + c.differing, 0);
  if (context.flags.has('json')) {
    context.io.out(JSON.stringify({ projection: projection.name, ...documents, companions }));
  } else {
    printDocuments(context, projection, documents);
    companions.forEach((c) => printCompanion(context, projection, c));
  }
  return differing === 0 ? 0 : 1;
}

function printDocuments(context: AuditContext, projection: DocumentProjection, comparison: DocumentComparison): void {
  if (comparison.differing === 0) {
    context.io.out(`${projection.name}: rebuilt rows equal the live ones (${formatCount(comparison.liveRows)} rows)`);
    return;
  }
  context.io.out(`${projection.name}: ${formatCount(comparison.differing)} row(s) differ (live ${formatCount(comparison.liveRows)} rows, rebuilt ${formatCount(comparison.rebuiltRows)}); the first:`);
  for (const d of comparison.first) {
    const what = d.live === null ? 'only in the rebuilt rows' : d.rebuilt === null ? 'only in the live rows' : `fields ${d.fields.join(', ')}`;
    context.io.out(`  ${d.id}: ${what}`);
    context.io.out(`    live:    ${JSON.stringify(d.live)}`);
    context.io.out(`    rebuilt: ${JSON.stringify(d.rebuilt)}`);
  }
}

function printCompanion(context: AuditContext, projection: DocumentProjection, c: CompanionComparison): void {
  const label = `${projection.name} (companion ${c.companion})`;
  if (c.differing === 0) {
    context.io.out(`${label}: rebuilt rows equal the live ones (${formatCount(c.liveRows)} rows)`);
    return;
  }
  context.io.out(`${label}: ${formatCount(c.differing)} row(s) differ (live ${formatCount(c.liveRows)} rows, rebuilt ${formatCount(c.rebuiltRows)}); the first:`);
  for (const { side, row } of c.first) context.io.out(`  only in the ${side} rows: ${JSON.stringify(row)}`);
}
