import { DynamicModule } from '@nestjs/common';
import { DocumentProjection, guardCheckedOutClients, KafkajsTransport, UpcasterRegistry } from '@crm/eventing';
import { Pool } from 'pg';
import { ServiceConfig } from '../config/service-config';
import { PROJECTIONS } from '../eventing/projections.service';
import { UPCASTERS } from '../eventing/tokens';
import { rebuildCommand } from './audit-rebuild';
import { verifyCommand } from './audit-verify';
import { whatIfCommand } from './audit-what-if';
import { platformValueOf } from './service-parts';
import { WHAT_IF_SCENARIOS, WhatIfScenario } from './what-if-scenario';

export interface AuditIo {
  /** Results (what a script or CI reads). */
  out: (line: string) => void;
  /** Progress (percent, events/s, ETA) and warnings. */
  err: (line: string) => void;
}

/** What an audit subcommand works with: the service's own configuration, database and read models. */
export interface AuditContext {
  config: ServiceConfig;
  pool: Pool;
  projections: DocumentProjection[];
  upcasters: UpcasterRegistry;
  /** The alternative-policy replays the service offers (by read model). */
  whatIf: WhatIfScenario[];
  /** Opened on first use: verify needs no broker. */
  transport: () => KafkajsTransport;
  flags: Map<string, string | true>;
  io: AuditIo;
}

const USAGE = `usage: audit verify [--json] [--batch-size N]
       audit rebuild --projection <name|all> [--compare] [--json]
       audit what-if --projection <name> --policy <file.json> [--json]`;

/**
 * `main.js audit …` (and `npm run audit -- … --service <s>`): tamper evidence, replay and
 * what-if against the service's own store and topics, with its own configuration. Exit codes:
 * 0 all good, 1 a finding or a difference, 2 the command could not run.
 */
export async function runAudit(config: ServiceConfig, module: DynamicModule, args: string[], io: AuditIo = stdio()): Promise<number> {
  const [command, ...rest] = args;
  const flags = parseFlags(rest);
  // A connection PostgreSQL ends mid-run (a rebuild holds one for minutes) fails its query, not the process.
  const pool = guardCheckedOutClients(new Pool({ connectionString: config.databaseUrl, max: 4 }),
    (error) => io.err(`a database connection was lost: ${error.message}`));
  let transport: KafkajsTransport | undefined;
  const context: AuditContext = {
    config, pool, flags, io,
    projections: platformValueOf<DocumentProjection[]>(module, PROJECTIONS),
    upcasters: platformValueOf<UpcasterRegistry>(module, UPCASTERS),
    whatIf: platformValueOf<WhatIfScenario[]>(module, WHAT_IF_SCENARIOS),
    transport: () => (transport ??= new KafkajsTransport({
      brokers: config.kafkaBrokers, clientId: `${config.serviceName}-audit`, replicationFactor: config.kafkaReplicationFactor,
      tls: config.kafkaTls, sasl: config.kafkaSasl, createTopics: false, quiet: true,
    })),
  };
  try {
    if (command === 'verify') return await verifyCommand(context);
    if (command === 'rebuild') return await rebuildCommand(context);
    if (command === 'what-if') return await whatIfCommand(context);
    io.err(USAGE);
    return 2;
  } catch (error) {
    io.err(`audit ${command}: ${(error as Error).message}`);
    return 2;
  } finally {
    await transport?.close().catch(() => undefined);
    await pool.end();
  }
}

function parseFlags(args: string[]): Map<string, string | true> {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i += 1) {
    if (!args[i].startsWith('--')) continue;
    const next = args[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags.set(args[i].slice(2), next);
      i += 1;
    } else {
      flags.set(args[i].slice(2), true);
    }
  }
  return flags;
}

export function stringFlag(context: AuditContext, name: string): string | undefined {
  const value = context.flags.get(name);
  return typeof value === 'string' ? value : undefined;
}

function stdio(): AuditIo {
  return { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
