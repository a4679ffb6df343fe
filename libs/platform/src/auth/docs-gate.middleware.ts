import { UnauthorizedException } from '@nestjs/common';
import { ServiceConfig } from '../config/service-config';
import { bearerOf } from './auth.guard';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

/** Swagger UI and the documents it reads (`/docs`, `/docs/…`, `/docs-json`, `/docs-yaml`). */
export function isDocsPath(path: string): boolean {
  return path === '/docs' || path.startsWith('/docs/') || path.startsWith('/docs-');
}

/**
 * The API documents are served by Swagger's Express routes, outside Nest's guards: this asks
 * for a valid token (any role) unless PUBLIC_OPS_ENDPOINTS lists `docs`.
 */
export function docsGateMiddleware(config: ServiceConfig, verifier: TokenVerifier) {
  return (request: { path: string; headers: Record<string, unknown>; actor?: unknown }, _response: unknown, next: (error?: unknown) => void) => {
    if (!isDocsPath(request.path) || config.http.publicOps.docs) return next();
    const token = bearerOf(request.headers.authorization);
    if (!token) return next(new UnauthorizedException('a bearer token is required (PUBLIC_OPS_ENDPOINTS does not list docs)'));
    verifier.verify(token).then(() => next(), (error: unknown) =>
      next(error instanceof InvalidTokenError ? new UnauthorizedException(error.message) : error));
  };
}
