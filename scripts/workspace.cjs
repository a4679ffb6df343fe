// The workspace's two lists, each kept in one place: the services (services.json) and the
// @crm/* path aliases (tsconfig.base.json `paths`, which TypeScript, esbuild and the Nx lint
// rule read themselves). Everything else that needs them asks this module.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** Service names in their usual order (customers, credit, receivables, engagement) → { port }. */
const services = JSON.parse(fs.readFileSync(path.join(root, 'services.json'), 'utf8')).services;
const serviceNames = Object.keys(services);

/** '@crm/platform' → 'libs/platform/src/index.ts' (relative to the workspace root). */
function pathAliases() {
  // tsconfig.base.json is plain JSON (no comments), so JSON.parse is enough.
  const { paths } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions;
  return Object.fromEntries(Object.entries(paths).map(([alias, targets]) => {
    if (alias.includes('*') || targets.length !== 1) throw new Error(`tsconfig.base.json paths: only exact one-file aliases are supported (${alias})`);
    return [alias, targets[0]];
  }));
}

module.exports = { root, services, serviceNames, pathAliases };
