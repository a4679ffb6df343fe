// Runs the TypeScript sources directly (services, test child processes, benchmarks): swc
// strips types per file at load time and the @crm/* aliases resolve like tsconfig paths.
const path = require('node:path');
const fs = require('node:fs');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..');
const aliases = {
  '@crm/contracts': 'libs/contracts/src/index.ts',
  '@crm/eventing': 'libs/eventing/src/index.ts',
  '@crm/platform': 'libs/platform/src/index.ts',
  '@crm/testing': 'libs/testing/src/index.ts',
};
for (const s of ['customers', 'engagement', 'receivables', 'credit']) {
  aliases[`@crm/${s}-domain`] = `libs/${s}/domain/src/index.ts`;
}

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const target = aliases[request];
  return resolve.call(this, target ? path.join(root, target) : request, ...rest);
};

require.extensions['.ts'] = function (module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
require('reflect-metadata');
