import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ValidationProblem } from './validation-problem';

/** Room for a UUID, a ULID or a client's own composite key; short enough for the key index. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/** A malformed `Idempotency-Key` is a 400 naming the header before any handler runs. */
@Injectable()
export class IdempotencyKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const key = context.switchToHttp().getRequest().headers?.['idempotency-key'];
    if (key === undefined) return true;
    if (typeof key !== 'string' || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !VISIBLE_ASCII.test(key)) {
      throw new ValidationProblem([{ field: 'Idempotency-Key',
        messages: [`Idempotency-Key must be 1–${MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters (a UUID is ideal)`] }]);
    }
    return true;
  }
}
