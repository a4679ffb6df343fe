import { ConfigError, loadServiceConfig, ServiceConfig } from './config/service-config';
import { createServiceApp } from './bootstrap';

/** main.ts of every service: validate config (exit 1 naming what is wrong), build, listen. */
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
  const app = await createServiceApp(moduleFor(config), config);
  await app.listen(config.port, '0.0.0.0');
  process.stdout.write(JSON.stringify({ level: 30, service: name, message: `listening on ${config.port}` }) + '\n');
}
