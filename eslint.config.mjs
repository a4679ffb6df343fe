// Lint exists mainly to keep the module boundaries of ARCHITECTURE.md: apps → libs, a
// service's domain depends on contracts only, services never import each other, and
// production code never imports test code (libs/testing is the only place test helpers live).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Specs, the test library itself and benchmarks may use test helpers; nothing else may.
// apps/e2e is black-box test code through and through: its spec helpers (apps/e2e/src/edge) too.
const testFiles = ['**/*.spec.ts', 'libs/testing/**/*.ts', 'bench/**/*.ts', 'apps/e2e/**/*.ts'];

/** The tag rules; `type:testing` is added to the layers whose specs may use it. */
function depConstraints({ testing }) {
  const t = testing ? ['type:testing'] : [];
  return [
    { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
    { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contracts', ...t] },
    { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:contracts', 'type:infra', ...t] },
    { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:infra'] },
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:infra', ...t] },
    // End-to-end specs drive services from outside: HTTP, Kafka, their databases.
    { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:testing', 'type:infra'] },
    { sourceTag: 'scope:customers', onlyDependOnLibsWithTags: ['scope:customers', 'scope:shared'] },
    { sourceTag: 'scope:credit', onlyDependOnLibsWithTags: ['scope:credit', 'scope:shared'] },
    { sourceTag: 'scope:receivables', onlyDependOnLibsWithTags: ['scope:receivables', 'scope:shared'] },
    { sourceTag: 'scope:engagement', onlyDependOnLibsWithTags: ['scope:engagement', 'scope:shared'] },
  ];
}

const boundaries = (options) => ['error', { enforceBuildableLibDependency: false, allow: [], ...options }];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '.local/**', '.nx/**', 'bench/results/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': boundaries({ depConstraints: depConstraints({ testing: false }) }),
    },
  },
  {
    files: testFiles,
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': boundaries({
        depConstraints: depConstraints({ testing: true }),
        // The eventing test kit in libs/testing is built on eventing, and eventing's specs use
        // it; eventing's production code cannot import testing (the rules above), so this
        // cycle exists only through spec files.
        ignoredCircularDependencies: [['eventing', 'testing']],
      }),
    },
  },
  {
    // Production code never reaches for test helpers, by alias or by path.
    files: ['**/*.ts'],
    ignores: testFiles,
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: '@crm/testing', message: 'test helpers are for specs only' }],
        patterns: [{ regex: '(^|/)(libs/testing|testing/src)(/|$)', message: 'test helpers are for specs only' }],
      }],
      // class-validator's maxDecimalPlaces throws on numbers printed in exponent notation (a 500 for 1e-323).
      'no-restricted-syntax': ['error', {
        selector: "Property[key.name='maxDecimalPlaces']",
        message: "use @IsDecimal(places) from @crm/platform: class-validator's maxDecimalPlaces throws on 1e-323",
      }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
