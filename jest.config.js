// Test level lives in the file name (.unit / .int / .e2e): unit specs need no I/O and run
// in parallel; integration and e2e specs share one real PostgreSQL and one real Kafka.
// The same swc options as the dev require hook and the production build, and the @crm/*
// aliases from tsconfig.base.json `paths`, like everywhere else (scripts/workspace.cjs).
const swcOptions = require('./scripts/swc-options.cjs');
const { pathAliases } = require('./scripts/workspace.cjs');

const swc = ['@swc/jest', swcOptions];
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const moduleNameMapper = Object.fromEntries(
  Object.entries(pathAliases()).map(([alias, file]) => [`^${escape(alias)}$`, `<rootDir>/${file}`]),
);
const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper,
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
  // scripts/ and infra/: specs of the dev stack's supervisor and the test infrastructure itself.
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/scripts', '<rootDir>/infra'],
};
module.exports = {
  // Integration specs join consumer groups and start processes: seconds, not milliseconds.
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.unit.spec.ts'] },
    {
      ...common,
      displayName: 'int',
      testMatch: ['**/*.int.spec.ts', '**/*.e2e.spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/infra/jest-global-setup.js',
      globalTeardown: '<rootDir>/libs/testing/src/infra/jest-global-teardown.js',
    },
    // Fault tests bring infrastructure of their own (a three-broker cluster, a PostgreSQL they
    // stop) and run alone: `npm run test:fault` (not yet part of the test command; README).
    { ...common, displayName: 'fault', testMatch: ['**/*.fault.spec.ts'] },
  ],
};
