// The one swc configuration for our TypeScript: CommonJS, legacy decorators with decorator
// metadata (Nest's dependency injection reads `design:paramtypes`).
// Used by the require hook (scripts/ts-register.cjs), jest (jest.config.js) and the
// production build (scripts/build.mjs), so the three run the same JavaScript.
module.exports = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
  },
  module: { type: 'commonjs' },
};
