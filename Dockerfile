# One image for all four services; SERVICE picks which one runs (ADR 11).
# Build stage: every dependency, our TypeScript bundled into dist/apps/<service>/main.js.
FROM node:24-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# No install scripts: they would fetch the `node` devDependency's binary (the image has Node
# 24 already) and build optional native add-ons that the build does not use.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json services.json ./
COPY scripts/build.mjs scripts/swc-options.cjs scripts/workspace.cjs ./scripts/
COPY libs ./libs
COPY apps ./apps
RUN node scripts/build.mjs

# Final stage: production dependencies and the bundles only — no sources, specs, test
# helpers or transpiler. Read-only at run time, as uid 1000 (the image's `node` user).
# --omit=optional drops optional peers nothing here loads: typescript (@nestjs/swagger's CLI
# plugin), mongodb (a TypeORM driver), pg-cloudflare.
FROM node:24-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
# V8 grows its heap lazily towards a limit sized from the machine, not the pod: a 160 MiB
# old space and a small young generation keep each service under 200 MB RSS after 10,000
# commands (bench/rss.bench.ts). Raise --max-old-space-size with the container's memory limit.
ENV NODE_OPTIONS="--max-old-space-size=160 --max-semi-space-size=4"
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist/apps ./dist/apps
USER 1000:1000
ENV SERVICE=customers PORT=3000
EXPOSE 3000
CMD ["sh", "-c", "exec node --enable-source-maps dist/apps/${SERVICE}/main.js"]
