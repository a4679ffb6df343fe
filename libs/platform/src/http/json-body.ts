import { HttpException, HttpStatus, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import { SAFE_METHODS } from './request-kind';
import { ValidationProblem } from './validation';

/** JSON, and JSON merge patches (RFC 7396) for PATCH. */
const JSON_TYPES = /^application\/(json|merge-patch\+json)\s*(;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The probes answer whatever comes with them: nothing of a request reaches them but its path. */
export function isProbe(path: string): boolean {
  return path === '/health' || path.startsWith('/health/');
}

/**
 * Reads a write's JSON body, at most `maxBytes` (a 413 problem+json beyond, before reading
 * more than that). Anything but JSON is a 415; reads and probes never have their body read.
 * In place of Express's parsers so the one size limit, media types and answers are ours.
 */
export function jsonBodyMiddleware(maxBytes: number) {
  return (request: IncomingMessage & { body?: unknown; path?: string }, _response: unknown, next: (error?: unknown) => void) => {
    if (SAFE_METHODS.has(request.method ?? 'GET') || isProbe(request.path ?? request.url ?? '') || !hasBody(request)) return next();
    const type = request.headers['content-type'] ?? '';
    if (!JSON_TYPES.test(type)) return next(new UnsupportedMediaTypeException('a request body must be application/json (or application/merge-patch+json for PATCH)'));
    const charset = CHARSET.exec(type)?.[1]?.toLowerCase();
    if (charset && charset !== 'utf-8' && charset !== 'utf8') return next(new UnsupportedMediaTypeException(`a request body must be UTF-8, not ${charset}`));
    const encoding = request.headers['content-encoding'];
    if (encoding && encoding !== 'identity') return next(new UnsupportedMediaTypeException(`a request body must not be compressed (${encoding})`));
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > maxBytes) return refuse(request, next, tooLarge(maxBytes));
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      if (error) return refuse(request, next, error);
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return next();
      try {
        request.body = JSON.parse(text);
      } catch (parseError) {
        // A validation problem naming `body`, so a client sees what is wrong where it looks for field errors.
        return next(new ValidationProblem([{ field: 'body', messages: [`the body is not valid JSON: ${(parseError as Error).message}`] }]));
      }
      if (request.body === null || typeof request.body !== 'object') return next(new ValidationProblem([{ field: 'body', messages: ['the body must be a JSON object'] }]));
      next();
    };
    request.on('data', (chunk: Buffer) => {
      if (done) return;
      received += chunk.length;
      if (received > maxBytes) return finish(tooLarge(maxBytes));
      chunks.push(chunk);
    });
    request.on('end', () => finish());
    request.on('error', () => finish(new HttpException('the request body was cut off', HttpStatus.BAD_REQUEST)));
  };
}

function tooLarge(maxBytes: number): HttpException {
  return new PayloadTooLargeException(`the request body is larger than ${maxBytes} bytes`);
}

/** Answer now, and drop the rest of the upload instead of reading it into memory. */
function refuse(request: IncomingMessage, next: (error?: unknown) => void, error: unknown): void {
  request.removeAllListeners('data');
  request.resume();
  next(error);
}
