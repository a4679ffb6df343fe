// Test level lives in the file name (.unit / .int / .e2e): unit specs need no I/O and run
// in parallel; integration and e2e specs share one real PostgreSQL and one real Kafka.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
    },
    module: { type: 'commonjs' },
  },
];
const moduleNameMapper = {
  '^@crm/contracts$': '<rootDir>/libs/contracts/src/index.ts',
  '^@crm/eventing$': '<rootDir>/libs/eventing/src/index.ts',
  '^@crm/platform$': '<rootDir>/libs/platform/src/index.ts',
  '^@crm/testing$': '<rootDir>/libs/testing/src/index.ts',
  '^@crm/(customers|engagement|receivables|credit)-domain$': '<rootDir>/libs/$1/domain/src/index.ts',
};
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
  ],
};
