import { ValidationProblem } from './validation-problem';

/**
 * The stream version a client read (ETag), sent back as If-Match: the command then fails
 * with 409 instead of being retried if someone else changed the stream meanwhile.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header === '') return undefined;
  // ETags as this API writes them ("7"), also weakened (W/"7") as gzipping proxies return them;
  // a stream version fits in 9 digits.
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(header.trim());
  if (!match) {
    throw new ValidationProblem([{ field: 'If-Match', messages: [`If-Match must be an ETag this API returned, like "7"; got ${header.slice(0, 50)}`] }]);
  }
  return Number(match[1]);
}

export const etag = (version: number) => `"${version}"`;
