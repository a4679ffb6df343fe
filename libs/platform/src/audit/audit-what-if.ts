import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EventEnvelope } from '@crm/contracts';
import { companionTableName, DocumentProjection, DocumentProjectionHandler, inTransaction, PostgresEventStore, projectionTableDdl, RecordedEvent, StoredEvent } from '@crm/eventing';
import { AuditContext, formatCount, stringFlag } from './audit-cli';
import { groupPrefix, projectionsNamed } from './audit-rebuild';
import { UpstreamEvents, WhatIfScenario, WhatIfTally, WhatIfUpstream } from './what-if-scenario';
import { copyUpstreamTopics, subjectsWithoutStream, upstreamOfSubject, upstreamTableDdl } from './what-if-upstream';

const BATCH = 5000;

/**
 * `audit what-if --projection <name> --policy <file.json>`: replays the service's own events
 * from its store (and the upstream topics the scenario names, copied from offset zero into the
 * scratch schema) under the alternative policy into a scratch schema (`whatif_<random>`,
 * dropped afterwards), builds the read model there with the projection's own `evolve`, and
 * prints how it differs from the live one. Live data is only read.
 */
export async function whatIfCommand(context: AuditContext): Promise<number> {
  const [projection] = projectionsNamed(context);
  const scenario = context.whatIf.find((s) => s.projection === projection.name);
  if (!scenario) {
    const offered = context.whatIf.map((s) => s.projection);
    throw new Error(`${context.config.serviceName} offers no what-if for ${projection.name}${offered.length ? `: only for ${offered.join(', ')}` : ''}`);
  }
  const file = stringFlag(context, 'policy');
  if (!file) throw new Error(`--policy <file.json> is required: ${scenario.policyShape}`);
  const policy = await scenario.parsePolicy(JSON.parse(readFileSync(file, 'utf8')));
  const schema = `whatif_${randomBytes(6).toString('hex')}`;
  const table = `${schema}.${projection.table}`;
  await context.pool.query(`CREATE SCHEMA ${schema}`);
  try {
    await context.pool.query(projectionTableDdl(projection, table, false));
    const tally = scenario.tally();
    const upstream = scenario.upstream && await copyUpstream(context, scenario.upstream, schema);
    const replayed = await replayInto(context, scenario, policy, projection, table, tally, upstream);
    if (scenario.keepsDocumentsNotReplayed) {
      await context.pool.query(`INSERT INTO ${table} (id, doc) SELECT l.id, l.doc FROM ${projection.table} l WHERE NOT EXISTS (SELECT 1 FROM ${table} w WHERE w.id = l.id)`);
    }
    const result = await compare(context, tally, projection.table, table);
    if (context.flags.has('json')) {
      const read = upstream && { upstream: { topics: upstream.topics, events: upstream.events, malformed: upstream.malformed } };
      context.io.out(JSON.stringify({ projection: projection.name, policy: file, schema, ...replayed, ...read, ...result.summary, counts: result.tally.counts() }));
    } else {
      if (upstream) {
        context.io.out(`what-if ${projection.name}: read ${formatCount(upstream.events)} upstream events of ${upstream.topics.join(', ')} from offset zero`
          + `${upstream.malformed ? ` (${formatCount(upstream.malformed)} not CloudEvents, left out)` : ''}`);
      }
      context.io.out(`what-if ${projection.name} under ${file}: replayed ${formatCount(replayed.events)} events of ${formatCount(replayed.streams)} streams into ${schema}`);
      context.io.out(`${formatCount(result.summary.differing)} of ${formatCount(result.summary.documents)} documents would differ from live:`);
      result.tally.lines().forEach((line) => context.io.out(`  ${line}`));
    }
    return 0;
  } finally {
    await context.pool.query(`DROP SCHEMA ${schema} CASCADE`);
  }
}

/** The scenario's upstream topics, copied into the scratch schema, and how each stream finds its subject's events there. */
interface CopiedUpstream {
  topics: string[];
  events: number;
  malformed: number;
  /** The upstream events of the stream `first` opens, when the scenario's `streamOf` names that stream for its partition key. */
  of(first: StoredEvent<{ type: string; data: unknown }>): Promise<UpstreamEvents | undefined>;
  /** Subjects with upstream events and no stream in the store, each with its events. */
  withoutStream(): AsyncGenerator<UpstreamEvents>;
}

async function copyUpstream(context: AuditContext, upstream: WhatIfUpstream, schema: string): Promise<CopiedUpstream> {
  const table = `${schema}.upstream_events`;
  const topics = upstream.topics(context.config);
  await context.pool.query(upstreamTableDdl(table));
  let lastReport = Date.now();
  const copied = await copyUpstreamTopics({
    pool: context.pool, transport: context.transport(), upcasters: context.upcasters, topics, table, groupPrefix: groupPrefix(context),
    onProgress: (events) => {
      if (Date.now() - lastReport < 1000) return;
      lastReport = Date.now();
      context.io.err(`what-if: ${formatCount(events)} upstream events of ${topics.join(', ')} read`);
    },
  });
  const eventsOf = async (subject: string): Promise<UpstreamEvents> => ({ subject, streamId: upstream.streamOf(subject), events: await upstreamOfSubject(context.pool, table, subject) });
  return {
    topics, ...copied,
    of: async (first) => (upstream.streamOf(first.partitionKey) === first.streamId ? eventsOf(first.partitionKey) : undefined),
    async *withoutStream() {
      for await (const subject of subjectsWithoutStream(context.pool, table, upstream.streamOf)) yield eventsOf(subject);
    },
  };
}

/**
 * Streams the scenario's streams in keyset batches, one whole stream at a time into the replay
 * (with its subject's upstream events), then the upstream subjects that have no stream.
 */
async function replayInto(context: AuditContext, scenario: WhatIfScenario, policy: unknown, projection: DocumentProjection, table: string,
  tally: WhatIfTally, upstream?: CopiedUpstream) {
  const prepared = await scenario.prepare(context.pool, context.config);
  const handler = new DocumentProjectionHandler(projection);
  // The companion tables too (the collection read model keeps its open rows and history there).
  const tables = { documents: table, ...Object.fromEntries((projection.companions ?? []).map((c) => [c.name, companionTableName(table, c.name)])) };
  const source = `crm.${context.config.serviceName}`;
  const started = Date.now();
  let pending: EventEnvelope[] = [];
  let stream: Array<StoredEvent<{ type: string; data: unknown }>> = [];
  let streams = 0;
  let events = 0;
  let lastReport = started;
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    await inTransaction(context.pool, (tx) => handler.handle(batch, { tx, mode: 'rebuild', tables }));
  };
  const replayOne = async (live: typeof stream, upstreamEvents?: UpstreamEvents) => {
    streams += 1;
    const whatIf = scenario.replay(live, policy, prepared, upstreamEvents);
    tally.replayed?.(live, whatIf);
    for (const e of whatIf) pending.push(envelopeOf(e, source));
    if (pending.length >= BATCH) await flush();
  };
  const endStream = async () => {
    if (stream.length === 0) return;
    const live = stream;
    stream = [];
    await replayOne(live, await upstream?.of(live[0]));
  };
  // Typed reads through the store (upcast on read), one keyset page of whole-family streams at a time.
  const store = new PostgresEventStore(context.pool, context.upcasters);
  let after = { streamId: '', version: 0 };
  for (;;) {
    const page = await store.readStreamsPage(scenario.streamPrefix, after, BATCH);
    for (const e of page) {
      if (stream.length > 0 && stream[0].streamId !== e.streamId) await endStream();
      stream.push(e);
      events += 1;
    }
    if (Date.now() - lastReport >= 1000) {
      lastReport = Date.now();
      context.io.err(`what-if ${projection.name}: ${formatCount(events)} events of ${formatCount(streams)} streams replayed, ${formatCount(Math.round(events / ((Date.now() - started) / 1000)))} events/s`);
    }
    if (page.length < BATCH) break;
    const last = page[page.length - 1];
    after = { streamId: last.streamId, version: last.streamVersion };
  }
  await endStream();
  if (upstream) for await (const subject of upstream.withoutStream()) await replayOne([], subject);
  await flush();
  return { events, streams };
}

/** Counts the documents and streams the differing pairs (a server-side cursor: bounded memory) into the tally. */
async function compare(context: AuditContext, tally: WhatIfTally, live: string, whatIf: string) {
  return inTransaction(context.pool, async (tx) => {
    const { rows: [counts] } = await tx.query(
      `SELECT (SELECT count(*) FROM ${live} l FULL JOIN ${whatIf} w ON w.id = l.id)::bigint AS documents,
              (SELECT count(*) FROM ${live} l FULL JOIN ${whatIf} w ON w.id = l.id WHERE l.doc IS DISTINCT FROM w.doc)::bigint AS differing`);
    await tx.query(`DECLARE what_if_diff NO SCROLL CURSOR FOR
      SELECT l.doc AS live, w.doc AS what_if FROM ${live} l FULL JOIN ${whatIf} w ON w.id = l.id WHERE l.doc IS DISTINCT FROM w.doc`);
    for (;;) {
      const { rows } = await tx.query('FETCH 1000 FROM what_if_diff');
      rows.forEach((r) => tally.add(r.live, r.what_if));
      if (rows.length < 1000) break;
    }
    await tx.query('CLOSE what_if_diff');
    return { tally, summary: { documents: Number(counts.documents), differing: Number(counts.differing) } };
  });
}

function envelopeOf(e: RecordedEvent, source: string): EventEnvelope {
  return {
    id: e.id, type: e.type, schemaVersion: e.schemaVersion, source, subject: e.partitionKey, time: e.occurredAt,
    recordedAt: e.recordedAt ?? e.occurredAt, streamId: e.streamId, streamVersion: e.streamVersion, data: e.data, metadata: e.metadata,
  };
}
