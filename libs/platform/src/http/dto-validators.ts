import { IsInt, IsISO4217CurrencyCode, Matches, Max, Min, registerDecorator, ValidationOptions } from 'class-validator';

/** The validators every service's DTOs share: business dates, money in minor units, currencies. */

function isIsoDate(value: string): boolean {
  const time = Date.parse(`${value}T00:00:00Z`);
  // 2026-02-30 either fails to parse or rolls over to March: neither is the date written.
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
}

/** Business dates outside these years are typing mistakes, and years past 9999 are not ISO dates. */
const FIRST_DATE = '1900-01-01';
const LAST_DATE = '2999-12-31';

/** A calendar date written YYYY-MM-DD that exists (2026-02-30 does not), within 1900–2999. */
export function IsBusinessDate(options?: ValidationOptions) {
  return (object: object, propertyName: string) => registerDecorator({
    name: 'isBusinessDate',
    target: object.constructor,
    propertyName,
    options: { message: `${propertyName} must be a date written YYYY-MM-DD between ${FIRST_DATE} and ${LAST_DATE}`, ...options },
    validator: { validate: (value: unknown) => typeof value === 'string' && isIsoDate(value) && value >= FIRST_DATE && value <= LAST_DATE },
  });
}

/** Money in integer minor units, exact in a JSON number (≤ 2^53 − 1). */
export function IsMinorUnits(minimum: number) {
  return (object: object, propertyName: string) => {
    IsInt({ message: `${propertyName} must be an integer number of minor units` })(object, propertyName);
    Min(minimum)(object, propertyName);
    Max(Number.MAX_SAFE_INTEGER, { message: `${propertyName} must not be greater than ${Number.MAX_SAFE_INTEGER}` })(object, propertyName);
  };
}

/** An ISO 4217 code as the standard writes it (CNY, not cny): one spelling per currency. */
export function IsCurrencyCode() {
  return (object: object, propertyName: string) => {
    Matches(/^[A-Z]{3}$/, { message: `${propertyName} must be an upper-case ISO 4217 code such as CNY` })(object, propertyName);
    IsISO4217CurrencyCode({ message: `${propertyName} must be an ISO 4217 currency code` })(object, propertyName);
  };
}

/** Digits after the point as written, exponent notation included (5e-324 has 324, 1.5e+3 none). */
export function decimalPlaces(value: number): number {
  const [mantissa, exponent = '0'] = String(value).toLowerCase().split('e');
  return Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - Number(exponent));
}

/**
 * A finite number with at most `places` decimals. class-validator's own `maxDecimalPlaces`
 * throws on numbers it prints in exponent notation (5e-324), which made a 500 of a bad input.
 */
export function IsDecimal(places: number, options?: ValidationOptions) {
  return (object: object, propertyName: string) => registerDecorator({
    name: 'isDecimal',
    target: object.constructor,
    propertyName,
    options: { message: `${propertyName} must be a number with at most ${places} decimal places`, ...options },
    validator: { validate: (value: unknown) => typeof value === 'number' && Number.isFinite(value) && decimalPlaces(value) <= places },
  });
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 instant with its offset (2026-03-01T08:00:00Z, 2026-03-01T16:00:00+08:00). */
export function IsInstant(options?: ValidationOptions) {
  return (object: object, propertyName: string) => registerDecorator({
    name: 'isInstant',
    target: object.constructor,
    propertyName,
    options: { message: `${propertyName} must be an ISO 8601 instant with a time zone, like 2026-03-01T08:00:00Z`, ...options },
    validator: { validate: (value: unknown) => typeof value === 'string' && INSTANT.test(value) && !Number.isNaN(Date.parse(value)) && isIsoDate(value.slice(0, 10)) },
  });
}

/** A business date (YYYY-MM-DD) or an instant with its offset: `asOf` of read models that answer both. */
export function IsBusinessDateOrInstant(options?: ValidationOptions) {
  return (object: object, propertyName: string) => registerDecorator({
    name: 'isBusinessDateOrInstant',
    target: object.constructor,
    propertyName,
    options: { message: `${propertyName} must be a date written YYYY-MM-DD or an ISO 8601 instant with a time zone, like 2026-03-01T08:00:00Z`, ...options },
    validator: {
      validate: (value: unknown) => typeof value === 'string' && (value.length === 10
        ? isIsoDate(value) && value >= FIRST_DATE && value <= LAST_DATE
        : INSTANT.test(value) && !Number.isNaN(Date.parse(value)) && isIsoDate(value.slice(0, 10))),
    },
  });
}
