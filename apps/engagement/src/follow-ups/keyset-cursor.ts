import { ValidationProblem } from '@crm/platform';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const encodeCursor = (key: [string, string]) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** A keyset cursor (sort value, id) checked strictly (the sort value by `valid`), so nothing made up reaches SQL. */
export function decodeCursor(cursor: string | undefined, valid: RegExp): [string, string] | null {
  if (!cursor) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(key) && key.length === 2 && typeof key[0] === 'string' && valid.test(key[0]) && typeof key[1] === 'string' && UUID.test(key[1])) {
      return key as [string, string];
    }
  } catch {
    // falls through to the 400
  }
  throw new ValidationProblem([{ field: 'cursor', messages: ['cursor must be a nextCursor this API returned'] }]);
}

export const DATE_KEY = /^\d{4}-\d{2}-\d{2}$/;
export const INSTANT_KEY = /^\d{4}-\d{2}-\d{2}T[0-9:.]+(Z|[+-]\d{2}:\d{2})$/;
