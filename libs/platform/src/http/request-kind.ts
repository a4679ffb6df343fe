import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { OPS_ENDPOINT_KEY, OpsEndpointName, PUBLIC_KEY } from '../auth/auth.decorators';

/** Reads change nothing; everything else is a write (rate-limited, never the auditor's). */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isWrite(request: { method?: string }): boolean {
  return !SAFE_METHODS.has((request.method ?? 'GET').toUpperCase());
}

/** What the route is for the guards: a probe (no token, no command headers), an ops endpoint, or the API. */
export function routeKind(reflector: Reflector, context: ExecutionContext): { public: boolean; ops?: OpsEndpointName } {
  const targets = [context.getHandler(), context.getClass()];
  return {
    public: reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true,
    ops: reflector.getAllAndOverride<OpsEndpointName>(OPS_ENDPOINT_KEY, targets),
  };
}
