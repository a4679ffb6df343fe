import { ConfigError, loadServiceConfig, ServiceConfig } from './config/service-config';
import { DynamicModule } from '@nestjs/common';
import { runAudit } from './audit/audit-cli';
import { createServiceApp } from './bootstrap';
import { openDataSource, runMigrationsOnce, serviceMigrationsOf } from './platform.module';

/**
 * main.ts of every service: validate config (exit 1 naming what is wrong), build, listen.
 * `main.js migrate` only runs the migrations and exits: the Kubernetes migration Job, so the
 * runtime role needs no DDL rights (MIGRATIONS_AT_STARTUP=false). `main.js audit …` verifies the
 * store, rebuilds or compares read models and plays what-ifs, then exits (see audit-cli).
 */
export async function runService(name: string, defaultPort: number, moduleFor: (config: ServiceConfig) => unknown) {
  let config: ServiceConfig;
  try {
    config = loadServiceConfig(name, defaultPort);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${name}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  if (process.argv[2] === 'migrate') return migrate(config, moduleFor(config) as DynamicModule);
  if (process.argv[2] === 'audit') process.exit(await runAudit(config, moduleFor(config) as DynamicModule, process.argv.slice(3)));
  try {
    const app = await createServiceApp(moduleFor(config), config);
    await app.listen(config.port, '0.0.0.0');
  } catch (error) {
    // One line an operator reads in `kubectl logs` (a topic to declare, a migration job to run);
    // the stack rides along in its own field for the failures nobody expected.
    process.stderr.write(JSON.stringify({ level: 60, service: name, message: `failed to start: ${(error as Error).message}`, stack: (error as Error).stack }) + '\n');
    process.exit(1);
  }
  process.stdout.write(JSON.stringify({ level: 30, service: name, message: `listening on ${config.port}` }) + '\n');
}

async function migrate(config: ServiceConfig, module: DynamicModule): Promise<void> {
  const dataSource = await openDataSource(config, serviceMigrationsOf(module));
  try {
    await runMigrationsOnce(dataSource);
    const rows = await dataSource.query('SELECT count(*)::int AS n FROM typeorm_migrations');
    process.stdout.write(JSON.stringify({ level: 30, service: config.serviceName, message: `migrations applied (${rows[0].n} recorded)` }) + '\n');
  } finally {
    await dataSource.destroy();
  }
}
