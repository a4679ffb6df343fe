import { DynamicModule, Module, Provider, Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { BusinessClock } from './clock/business-clock';
import { DrainState } from './health/drain-state';
import { IdempotencyKeyGuard } from './http/idempotency-key.guard';
import { RequestBodyGuard } from './http/request-body.guard';
import { WriteRateLimitGuard } from './http/write-rate-limit.guard';
import { DocumentProjection, EVENTING_MIGRATIONS, guardCheckedOutClients, KafkajsTransport, Policy, PostgresEventStore, Upcaster, UpcasterRegistry } from '@crm/eventing';
import { Logger } from 'pino';
import { contractUpcasters } from '@crm/contracts';
import { DataSource, MigrationInterface } from 'typeorm';
import { AuditVerifyController } from './audit/audit-verify.controller';
import { ChainAnchorService } from './audit/chain-anchor.service';
import { WHAT_IF_SCENARIOS, WhatIfScenario } from './audit/what-if-scenario';
import { AuthGuard } from './auth/auth.guard';
import { TokenVerifier } from './auth/token-verifier';
import { ServiceConfig } from './config/service-config';
import { ProjectionsAdminController } from './eventing/projections-admin.controller';
import { POLICY_TYPES, PoliciesService } from './eventing/policies.service';
import { BusinessDays } from './day-close/business-days';
import { DayCloseOptions } from './day-close/day-close.options';
import { dayCloseParts } from './day-close/day-close.providers';
import { DayCloseRuns } from './day-close/day-close-runs';
import { PROJECTIONS, ProjectionsService } from './eventing/projections.service';
import { RelayService } from './eventing/relay.service';
import { EVENT_STORE, LOGGER, PG_POOL, SERVICE_CONFIG, TRANSPORT, UPCASTERS } from './eventing/tokens';
import { HealthController } from './health/health.controller';
import { MetricsController } from './observability/metrics.controller';
import { createLogger } from './observability/logger';

export interface PlatformOptions {
  config: ServiceConfig;
  /** The service's own migrations; with the eventing tables' (EVENTING_MIGRATIONS), run in timestamp order. */
  migrations?: Array<new () => MigrationInterface>;
  projections?: DocumentProjection[];
  /** Policy classes: providers of the service's own module (they send its commands). */
  policies?: Array<Type<Policy>>;
  /** The platform's day close (calendar, runs, policy, endpoints) with the service's work. */
  dayClose?: DayCloseOptions;
  /** The service's own upcasters, on top of the contracts': every reader of events applies them. */
  upcasters?: Upcaster[];
  /** What `audit what-if` can replay under an alternative policy, per read model (policies are data). */
  whatIf?: WhatIfScenario[];
}

/** What every service needs the same way: DB + migrations, event store, relay, Kafka, auth, health, metrics. */
@Module({})
export class PlatformModule {
  static forService(options: PlatformOptions): DynamicModule {
    const dayClose = dayCloseParts(options.config.serviceName, options.dayClose);
    const providers: Provider[] = [
      { provide: SERVICE_CONFIG, useValue: options.config },
      { provide: LOGGER, useValue: createLogger(options.config.serviceName, options.config.logLevel) },
      {
        provide: DataSource,
        useFactory: async () => {
          const dataSource = await openDataSource(options.config, options.migrations);
          if (options.config.migrationsAtStartup) await runMigrationsOnce(dataSource);
          else await refusePendingMigrations(dataSource, options.config.serviceName);
          return dataSource;
        },
      },
      { provide: SERVICE_MIGRATIONS, useValue: options.migrations ?? [] },
      // One pool per service: TypeORM's, shared with the event store and consumers.
      // Its checked-out clients' connection errors are logged, not left to end the process.
      {
        provide: PG_POOL,
        useFactory: (ds: DataSource, logger: Logger) => guardCheckedOutClients((ds.driver as any).master,
          (err) => logger.warn({ err }, 'a database connection in use was lost; its next query fails and the client is discarded')),
        inject: [DataSource, LOGGER],
      },
      // One registry for every reader of events: the store, and projections live, rebuilding and replaying parked events.
      { provide: UPCASTERS, useValue: new UpcasterRegistry([...contractUpcasters, ...(options.upcasters ?? [])]) },
      { provide: EVENT_STORE, useFactory: (pool, upcasters) => new PostgresEventStore(pool, upcasters), inject: [PG_POOL, UPCASTERS] },
      {
        provide: TRANSPORT,
        useFactory: (logger) => new KafkajsTransport({ brokers: options.config.kafkaBrokers, clientId: options.config.serviceName,
          replicationFactor: options.config.kafkaReplicationFactor, logger, tls: options.config.kafkaTls, sasl: options.config.kafkaSasl,
          createTopics: options.config.kafkaCreateTopics }),
        inject: [LOGGER],
      },
      { provide: TokenVerifier, useFactory: () => new TokenVerifier(options.config.auth) },
      // In this order: who is calling, whether they may write now, their key, their body.
      { provide: APP_GUARD, useClass: AuthGuard },
      { provide: APP_GUARD, useClass: WriteRateLimitGuard },
      { provide: APP_GUARD, useClass: IdempotencyKeyGuard },
      { provide: APP_GUARD, useClass: RequestBodyGuard },
      { provide: PROJECTIONS, useValue: options.projections ?? [] },
      { provide: WHAT_IF_SCENARIOS, useValue: options.whatIf ?? [] },
      { provide: POLICY_TYPES, useValue: [...(options.policies ?? []), ...dayClose.policies] },
      ...dayClose.providers,
      RelayService,
      ProjectionsService,
      PoliciesService,
      BusinessClock,
      DrainState,
      ChainAnchorService,
      {
        // Shut down in dependency order: consumers and relay first (Nest calls these hooks
        // before this provider's), then Kafka clients and the database pool.
        provide: 'PLATFORM_CLOSER',
        useFactory: (ds: DataSource, transport: KafkajsTransport) => ({
          onApplicationShutdown: async () => { await transport.close(); await ds.destroy(); },
        }),
        inject: [DataSource, TRANSPORT],
      },
    ];
    return {
      module: PlatformModule,
      global: true,
      controllers: [HealthController, MetricsController, AuditVerifyController, ...(options.projections?.length ? [ProjectionsAdminController] : []), ...dayClose.controllers],
      providers,
      exports: [SERVICE_CONFIG, LOGGER, PG_POOL, EVENT_STORE, UPCASTERS, TRANSPORT, DataSource, ProjectionsService, BusinessClock, DrainState,
        ...(options.dayClose ? [BusinessDays, DayCloseRuns] : [])],
    };
  }
}

/** The service's own migrations, as given to `forService` (for the `migrate` command, which starts no module). */
const SERVICE_MIGRATIONS = Symbol('SERVICE_MIGRATIONS');
type Migrations = Array<new () => MigrationInterface>;

export function serviceMigrationsOf(module: DynamicModule): Migrations {
  for (const imported of module.imports ?? []) {
    const providers = (imported as DynamicModule).providers ?? [];
    const found = providers.find((p): p is { provide: symbol; useValue: Migrations } => (p as { provide?: unknown }).provide === SERVICE_MIGRATIONS);
    if (found) return found.useValue;
  }
  throw new Error('the module imports no PlatformModule.forService: it has no migrations to run');
}

export async function openDataSource(config: ServiceConfig, migrations: Migrations = []): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres', url: config.databaseUrl, synchronize: false,
    migrations: [...EVENTING_MIGRATIONS, ...migrations], migrationsTableName: 'typeorm_migrations', extra: { max: config.databasePoolMax },
  });
  await dataSource.initialize();
  return dataSource;
}

/** With migrations run by a Job (MIGRATIONS_AT_STARTUP=false), a replica never starts on an older schema. */
async function refusePendingMigrations(dataSource: DataSource, serviceName: string): Promise<void> {
  if (await dataSource.showMigrations()) {
    await dataSource.destroy();
    throw new Error(`${serviceName}: migrations are pending and MIGRATIONS_AT_STARTUP=false: run the migration job (main.js migrate) first`);
  }
}

/**
 * Every replica starts at once in a rollout, and TypeORM takes no lock of its own: one
 * session-level advisory lock makes the others wait, then find nothing left to run.
 */
export async function runMigrationsOnce(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock(hashtext('crm-migrations'))`);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query(`SELECT pg_advisory_unlock(hashtext('crm-migrations'))`).catch(() => undefined);
    await runner.release();
  }
}
