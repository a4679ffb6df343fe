// Production build (ADR 11): one CommonJS bundle per service, dist/apps/<service>/main.js,
// run with plain `node`. swc transpiles each of our .ts files exactly as the dev require hook
// and jest do (legacy decorators + decorator metadata, scripts/swc-options.cjs); esbuild
// resolves the @crm/* aliases from tsconfig.base.json and bundles our apps and libs into one
// file, leaving every npm package external (installed by `npm ci --omit=dev`).
// Usage: node scripts/build.mjs [service…]   (default: every service in services.json)
import { build } from 'esbuild';
import { transform } from '@swc/core';
import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const swcOptions = require('./swc-options.cjs');
const { root, serviceNames } = require('./workspace.cjs');

const requested = process.argv.slice(2);
for (const name of requested) {
  if (!serviceNames.includes(name)) throw new Error(`unknown service ${name} (services.json: ${serviceNames.join(', ')})`);
}

/** esbuild does not emit decorator metadata, so our TypeScript goes through swc first. */
const swc = {
  name: 'swc',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async ({ path: file }) => {
      const { code, map } = await transform(await readFile(file, 'utf8'), { ...swcOptions, filename: file, sourceMaps: true });
      const inline = `\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(map).toString('base64')}`;
      return { contents: code + inline, loader: 'js' };
    });
  },
};

/** What must never reach a production bundle: test helpers and specs. */
const forbidden = [/^libs\/testing\//, /\.spec\.ts$/, /^bench\//];

async function buildService(name) {
  const outdir = path.join(root, 'dist/apps', name);
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { main: `apps/${name}/src/main.ts` },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    tsconfig: 'tsconfig.base.json',
    packages: 'external',
    // Nest, TypeORM and our logs use class and function names: keep them through bundling.
    keepNames: true,
    // Decorators record metadata only once reflect-metadata is loaded (the dev hook and jest
    // load it first too); apps do not import it themselves.
    banner: { js: "require('reflect-metadata');" },
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    plugins: [swc],
  });
  const inputs = Object.keys(result.metafile.inputs);
  const leaked = inputs.filter((file) => forbidden.some((pattern) => pattern.test(file)));
  if (leaked.length > 0) throw new Error(`${name}: the bundle would contain ${leaked.join(', ')}`);
  const bytes = result.metafile.outputs[path.relative(root, path.join(outdir, 'main.js'))].bytes;
  console.log(`dist/apps/${name}/main.js  ${(bytes / 1024).toFixed(0)} KiB from ${inputs.length} files`);
}

for (const name of requested.length > 0 ? requested : serviceNames) await buildService(name);
