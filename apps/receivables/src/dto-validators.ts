import { registerDecorator, ValidationOptions } from 'class-validator';
import { isIsoDate } from '@crm/receivables-domain';

/** A calendar date written YYYY-MM-DD that exists (2026-02-30 does not). */
export function IsBusinessDate(options?: ValidationOptions) {
  return (object: object, propertyName: string) => registerDecorator({
    name: 'isBusinessDate',
    target: object.constructor,
    propertyName,
    options: { message: `${propertyName} must be a date written YYYY-MM-DD`, ...options },
    validator: { validate: (value: unknown) => typeof value === 'string' && isIsoDate(value) },
  });
}
