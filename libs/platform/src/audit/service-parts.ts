import { DynamicModule } from '@nestjs/common';

/**
 * A value the service gave `PlatformModule.forService` (its projections, its upcasters…), read
 * from the module without starting it: for the commands of `main.js` that run no service
 * (migrate, audit).
 */
export function platformValueOf<T>(module: DynamicModule, token: symbol): T {
  for (const imported of module.imports ?? []) {
    const providers = (imported as DynamicModule).providers ?? [];
    const found = providers.find((p): p is { provide: symbol; useValue: T } => (p as { provide?: unknown }).provide === token);
    if (found) return found.useValue;
  }
  throw new Error('the module imports no PlatformModule.forService');
}
