import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { assertStorableInput } from './input-safety';
import { isWrite } from './request-kind';
import { ValidationProblem } from './validation-problem';

/** Nest's own metadata: route arguments are keyed `<paramtype>:<index>`, and 3 is @Body (RouteParamtypes.BODY). */
const ROUTE_ARGS_METADATA = '__routeArguments__';
const BODY_PARAMTYPE = '3:';

function declaresBody(context: ExecutionContext): boolean {
  const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {};
  return Object.keys(args).some((key) => key.startsWith(BODY_PARAMTYPE));
}

/**
 * The body rules of every write, admin routes included, before any handler: input no field
 * validator should have to think about is refused (`assertStorableInput`: nesting, `__proto__`
 * and friends, NUL), and a route that takes no body refuses any field, as a DTO refuses an
 * unknown one — instead of a 201 that silently ignored it.
 */
@Injectable()
export class RequestBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest();
    const body: unknown = request.body;
    if (!isWrite(request) || body === undefined) return true;
    assertStorableInput(body, '');
    if (declaresBody(context)) return true;
    const fields = body !== null && typeof body === 'object' ? Object.keys(body) : ['body'];
    if (fields.length === 0) return true;
    const field = Array.isArray(body) ? 'body' : fields[0];
    throw new ValidationProblem([{ field, messages: [Array.isArray(body) ? 'this endpoint takes no body' : `property ${field} should not exist (this endpoint takes no body)`] }]);
  }
}
