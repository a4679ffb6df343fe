import path from 'node:path';
import { runScript } from '@crm/testing';

const main = path.resolve(__dirname, '../../customers/src/main.ts');
// Refused at configuration: nothing is reached, so these need not answer.
const base = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', KAFKA_BROKERS: '127.0.0.1:1' };

describe('service start-up outside development (process)', () => {
  it('refuses to start when AUTH_MODE is unset, naming it, instead of running with development auth', async () => {
    const started = runScript(main, { ...base, NODE_ENV: 'production', AUTH_MODE: '', AUTH_DEV_SECRET: 'dev-secret-change-me-please' });
    expect((await started.exit).code).toBe(1);
    expect(started.output()).toMatch(/customers: invalid configuration:[\s\S]*AUTH_MODE is required when NODE_ENV=production/);
  });
});
