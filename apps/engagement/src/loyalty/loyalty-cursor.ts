import { ValidationProblem } from '@crm/platform';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque keyset cursor: the last customer id of the previous page. */
export const encodeCustomerCursor = (customerId: string) => Buffer.from(JSON.stringify([customerId])).toString('base64url');

export function decodeCustomerCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(key) && key.length === 1 && typeof key[0] === 'string' && UUID.test(key[0])) return key[0];
  } catch {
    // falls through to the 400
  }
  throw new ValidationProblem([{ field: 'cursor', messages: ['cursor must be a nextCursor this API returned'] }]);
}
