import { ValidationProblem } from '@crm/platform';

/** Where a page of the overdue list ended, in its sort: opaque to clients (base64url). */
export interface OverdueCursor {
  sort: 'days' | 'amount';
  dueDate: string;
  outstanding: number;
  invoiceId: string;
}

const SHAPE = /^(d|a)\|(\d{4}-\d{2}-\d{2})\|(\d{1,16})\|([0-9a-f-]{36})$/;

export function encodeCursor(c: OverdueCursor): string {
  return Buffer.from(`${c.sort === 'days' ? 'd' : 'a'}|${c.dueDate}|${c.outstanding}|${c.invoiceId}`).toString('base64url');
}

/** The cursor, or a 400 naming `cursor` when it is not one this API returned for this sort. */
export function decodeCursor(cursor: string, sort: 'days' | 'amount'): OverdueCursor {
  const match = SHAPE.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match || (match[1] === 'd') !== (sort === 'days')) {
    throw new ValidationProblem([{ field: 'cursor', messages: ['cursor must be a nextCursor this API returned for the same sort'] }]);
  }
  return { sort, dueDate: match[2], outstanding: Number(match[3]), invoiceId: match[4] };
}
