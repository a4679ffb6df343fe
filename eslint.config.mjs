// Lint exists mainly to keep the module boundaries of ARCHITECTURE.md: apps → libs, a
// service's domain depends on contracts only, services never import each other.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '.local/**', '.nx/**', 'bench/results/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            // `type:testing` is allowed here for spec files only (see the next block).
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contracts', 'type:testing'] },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:contracts', 'type:infra', 'type:testing'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:infra'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:infra', 'type:testing'] },
            // End-to-end specs drive services from outside: HTTP, Kafka, their databases.
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:testing', 'type:infra'] },
            { sourceTag: 'scope:customers', onlyDependOnLibsWithTags: ['scope:customers', 'scope:shared'] },
            { sourceTag: 'scope:credit', onlyDependOnLibsWithTags: ['scope:credit', 'scope:shared'] },
            { sourceTag: 'scope:receivables', onlyDependOnLibsWithTags: ['scope:receivables', 'scope:shared'] },
            { sourceTag: 'scope:engagement', onlyDependOnLibsWithTags: ['scope:engagement', 'scope:shared'] },
          ],
        },
      ],
    },
  },
  {
    // Production code never reaches for test helpers; specs and test kits may.
    files: ['**/*.ts'],
    ignores: ['**/*.spec.ts', '**/testing/**', 'libs/testing/**', 'bench/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: '@crm/testing', message: 'test helpers are for specs only' }] }] },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
