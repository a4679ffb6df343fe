import { TIMELINE_SERVICES, TimelineSortKey } from '@crm/customers-domain';
import { ValidationProblem } from '@crm/platform';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const encodeTimelineCursor = (key: TimelineSortKey) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** A keyset cursor checked field by field, so nothing made up reaches SQL: else a 400 naming `cursor`. */
export function decodeTimelineCursor(cursor: string | undefined): TimelineSortKey | null {
  if (!cursor) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(key) && key.length === 4 && typeof key[0] === 'string' && INSTANT.test(key[0])
      && (TIMELINE_SERVICES as readonly unknown[]).includes(key[1]) && Number.isInteger(key[2]) && key[2] > 0
      && typeof key[3] === 'string' && UUID.test(key[3])) {
      return key as TimelineSortKey;
    }
  } catch {
    // falls through to the 400
  }
  throw new ValidationProblem([{ field: 'cursor', messages: ['cursor must be a nextCursor this API returned'] }]);
}
