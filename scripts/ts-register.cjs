// Runs the TypeScript sources directly (the stack, test child processes, scripts, benchmarks):
// swc strips types per file at load time and the @crm/* aliases resolve like tsconfig paths.
// Development only: production runs the bundles of scripts/build.mjs (ADR 11).
const path = require('node:path');
const fs = require('node:fs');
const Module = require('node:module');
const { transformSync } = require('@swc/core');
const swcOptions = require('./swc-options.cjs');
const { root, pathAliases } = require('./workspace.cjs');

const aliases = pathAliases();

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const target = aliases[request];
  return resolve.call(this, target ? path.join(root, target) : request, ...rest);
};

require.extensions['.ts'] = function (module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...swcOptions, filename, sourceMaps: 'inline' });
  module._compile(code, filename);
};
require('reflect-metadata');
