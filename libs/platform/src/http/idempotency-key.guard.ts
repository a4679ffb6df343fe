import { createHash } from 'node:crypto';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { isWrite, routeKind } from './request-kind';
import { ValidationProblem } from './validation-problem';

/** Room for a UUID, a ULID or a client's own composite key; short enough for the key index. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * The key as the store keeps it: the client's key under the actor's own namespace (a digest
 * of the subject, so no user name sits in the table), so one user replaying another user's
 * key starts a request of their own instead of receiving the other's answer. The command
 * type is the store's scope, so the record is per actor and per command.
 */
export function actorScopedIdempotencyKey(actorId: string, key: string): string {
  return `${createHash('sha256').update(actorId).digest('base64url').slice(0, 22)}:${key}`;
}

/**
 * On writes: a malformed `Idempotency-Key` is a 400 naming the header before any handler
 * runs, and a good one is replaced, for every controller and the store, by its actor-scoped
 * form (it runs after the AuthGuard, which has set the actor). Reads and probes ignore the
 * header: it means nothing there, and an empty one must not fail a liveness probe.
 */
@Injectable()
export class IdempotencyKeyGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest();
    const kind = routeKind(this.reflector, context);
    if (kind.public || kind.ops || !isWrite(request)) return true;
    const key = request.headers?.['idempotency-key'];
    if (key === undefined) return true;
    if (typeof key !== 'string' || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !VISIBLE_ASCII.test(key)) {
      throw new ValidationProblem([{ field: 'Idempotency-Key',
        messages: [`Idempotency-Key must be 1–${MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters (a UUID is ideal)`] }]);
    }
    request.headers['idempotency-key'] = actorScopedIdempotencyKey(request.actor.id, key);
    return true;
  }
}
