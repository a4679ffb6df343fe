import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateIf } from 'class-validator';
import { assertStorableInput } from './input-safety';
import { ValidationProblem } from './validation-problem';

export { ValidationProblem } from './validation-problem';

function flatten(errors: ValidationError[], parent = ''): Array<{ field: string; messages: string[] }> {
  return errors.flatMap((e) => {
    // Array items read as lines[0].quantity, the way clients write the path.
    const field = !parent ? e.property : /^\d+$/.test(e.property) ? `${parent}[${e.property}]` : `${parent}.${e.property}`;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * Bodies: unknown fields are refused, since a typo in a field name must not be silently
 * ignored. Query strings: unknown parameters are dropped, since proxies and clients add their
 * own (cache busters, tracing); the declared ones are checked just as strictly.
 */
export function createValidationPipe(): ValidationPipe {
  const common = { whitelist: true, transform: true, exceptionFactory: (errors: ValidationError[]) => new ValidationProblem(flatten(errors)) };
  const queries = new ValidationPipe({ ...common, forbidNonWhitelisted: false });
  return new (class extends ValidationPipe {
    override transform(value: unknown, metadata: ArgumentMetadata) {
      // A request without a body, for a route that expects a DTO: judged as an empty object (400s
      // naming the required fields), never handed to the controller as undefined (a 500 there).
      if (metadata.type === 'body' && value === undefined && typeof metadata.metatype === 'function' && metadata.metatype !== Object) value = {};
      // Before class-transformer walks it: a body nested thousands deep must be a 400, not a crash.
      assertStorableInput(value, metadata.type === 'body' ? '' : (metadata.data ?? ''));
      return metadata.type === 'query' ? queries.transform(value, metadata) : super.transform(value, metadata);
    }
  })({ ...common, forbidNonWhitelisted: true });
}

/** A query parameter that must be a number: '', ' ' and 'abc' become NaN and fail, never 0. */
export function QueryNumber() {
  return Transform(({ value }) => (value === undefined ? undefined : String(value).trim() === '' ? Number.NaN : Number(value)));
}

/**
 * Optional, but when present not null: `IsOptional` would let `null` through to a decider that
 * treats the field as a string, and into events whose schema says string.
 */
export function IsOptionalNotNull() {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
