// Generates docs/api/<service>.openapi.json from the code (controllers and DTOs), without a
// database or broker: Nest's preview mode scans modules but instantiates no provider.
// --check: fail when a committed document differs from what the code generates.
require('./ts-register.cjs');
const fs = require('node:fs');
const path = require('node:path');
const { NestFactory } = require('@nestjs/core');
const { loadServiceConfig, openApiDocument } = require('../libs/platform/src/index.ts');

const { serviceNames } = require('./workspace.cjs');

/** apps/<name>/src/<name>.module.ts exports <Name>Module, e.g. CustomersModule. */
const moduleOf = (name) => require(`../apps/${name}/src/${name}.module.ts`)[`${name[0].toUpperCase()}${name.slice(1)}Module`];
const check = process.argv.includes('--check');
const env = { DATABASE_URL: 'postgres://docs@127.0.0.1:5432/docs', KAFKA_BROKERS: '127.0.0.1:9092', AUTH_DEV_SECRET: 'openapi-generation-only' };

(async () => {
  const stale = [];
  for (const name of serviceNames) {
    const config = loadServiceConfig(name, 0, env);
    const app = await NestFactory.create(moduleOf(name).register(config), { preview: true, logger: false, abortOnError: false });
    const document = `${JSON.stringify(openApiDocument(app, config), null, 2)}\n`;
    const file = path.join(__dirname, '../docs/api', `${name}.openapi.json`);
    if (check) {
      if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== document) stale.push(path.relative(process.cwd(), file));
    } else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, document);
      console.log(`wrote ${path.relative(process.cwd(), file)}`);
    }
  }
  if (stale.length > 0) {
    console.error(`stale API documents (run npm run openapi and commit): ${stale.join(', ')}`);
    process.exit(1);
  }
  if (check) console.log('API documents are up to date');
  process.exit(0);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
