import { Param, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { ValidationProblem } from './validation-problem';

/**
 * A path parameter that must be a UUID. Nest's ParseUUIDPipe answers a 400 without naming the
 * parameter; this one answers the validation problem with `errors[]` naming it, as bodies and
 * query strings do.
 */
export class UuidParamPipe implements PipeTransform<unknown, string> {
  constructor(private readonly field: string) {}

  transform(value: unknown): string {
    if (typeof value !== 'string' || !isUUID(value)) throw new ValidationProblem([{ field: this.field, messages: [`${this.field} must be a UUID`] }]);
    return value.toLowerCase();
  }
}

/** `@UuidParam('id') id: string` — the path parameter, checked to be a UUID. */
export const UuidParam = (name: string) => Param(name, new UuidParamPipe(name));
