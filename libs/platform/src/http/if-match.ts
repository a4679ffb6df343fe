import { BadRequestException } from '@nestjs/common';

/**
 * The stream version a client read (ETag), sent back as If-Match: the command then fails
 * with 409 instead of being retried if someone else changed the stream meanwhile.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header === '') return undefined;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!match) throw new BadRequestException(`If-Match must be an ETag this API returned, like "7"; got ${header}`);
  return Number(match[1]);
}

export const etag = (version: number) => `"${version}"`;
