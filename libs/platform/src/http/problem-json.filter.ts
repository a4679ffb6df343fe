import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { IdempotencyKeyReusedError, RebuildRunningElsewhereError, WrongExpectedVersionError } from '@crm/eventing';
import { Logger } from 'pino';
import { DomainError } from '@crm/contracts';
import { domainErrorProblem, Problem, PROBLEM_BASE, TITLES } from './problem';
import { ValidationProblem } from './validation';
import { RateLimitedError } from './write-rate-limiter';

function slug(status: number): string {
  return (TITLES[status] ?? `status-${status}`).toLowerCase().replaceAll(' ', '-');
}

/** The one place errors become HTTP: every error leaves as application/problem+json. */
@Catch()
export class ProblemJsonFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest();
    const response = host.switchToHttp().getResponse();
    const problem = this.toProblem(error);
    problem.instance = request.originalUrl ?? request.url;
    if (problem.status >= 500) this.logger.error({ err: error, path: problem.instance }, 'unhandled error');
    if (error instanceof RateLimitedError) response.setHeader('Retry-After', String(error.retryAfterSeconds));
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(error: unknown): Problem {
    if (error instanceof ValidationProblem) {
      return { type: `${PROBLEM_BASE}validation`, title: 'Your request is not valid', status: 400,
        detail: error.errors.map((e) => `${e.field}: ${e.messages.join('; ')}`).join(' | '), errors: error.errors };
    }
    if (error instanceof DomainError) return domainErrorProblem(error);
    if (error instanceof WrongExpectedVersionError) {
      return { type: `${PROBLEM_BASE}concurrency-conflict`, title: 'Conflict', status: 409, detail: error.message };
    }
    if (error instanceof IdempotencyKeyReusedError) {
      // Not the key itself: the store keeps it under the actor's namespace (actorScopedIdempotencyKey).
      return { type: `${PROBLEM_BASE}idempotency-key-reused`, title: 'Unprocessable Content', status: 422,
        detail: 'this Idempotency-Key was already used for a different request',
        errors: [{ field: 'Idempotency-Key', messages: ['already used for a different request: send a new key for a new request'] }] };
    }
    if (error instanceof RateLimitedError) {
      return { type: `${PROBLEM_BASE}too-many-requests`, title: TITLES[429], status: 429, detail: error.message, retryAfterSeconds: error.retryAfterSeconds };
    }
    if (error instanceof RebuildRunningElsewhereError) {
      return { type: `${PROBLEM_BASE}rebuild-running-elsewhere`, title: 'Conflict', status: 409, detail: error.message };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse() as any;
      const detail = typeof body === 'string' ? body : Array.isArray(body?.message) ? body.message.join('; ') : body?.message;
      return { type: `${PROBLEM_BASE}${slug(status)}`, title: TITLES[status] ?? 'Error', status, detail };
    }
    // Express's own refusals (a path segment that is not valid percent-encoding): http-errors with a 4xx status.
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500 && (error as { expose?: unknown }).expose === true) {
      return { type: `${PROBLEM_BASE}${slug(status)}`, title: TITLES[status] ?? 'Error', status, detail: (error as Error).message };
    }
    return { type: `${PROBLEM_BASE}internal`, title: 'Internal Server Error', status: 500, detail: 'an unexpected error occurred' };
  }
}
