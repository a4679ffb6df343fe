import { DomainError, DomainErrorKind } from '@crm/contracts';

/** RFC 9457 problem details; `type` is stable per error so clients can branch on it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: Array<{ field: string; messages: string[] }>;
  [extension: string]: unknown;
}

export const PROBLEM_BASE = 'https://crm.example/problems/';

/** The one mapping of domain error kinds to HTTP statuses (domain code never names a status). */
export const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: 400, forbidden: 403, 'not-found': 404, conflict: 409, refused: 422,
};

/** A refusal as problem+json: the code is the `type`, the field (if any) is named in `errors`. */
export function domainErrorProblem(error: DomainError): Problem {
  const status = STATUS_BY_KIND[error.kind];
  return {
    type: `${PROBLEM_BASE}${error.code}`, title: TITLES[status], status, detail: error.message,
    ...(error.field ? { errors: [{ field: error.field, messages: [error.message] }] } : {}),
    ...error.details,
  };
}

export const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout',
  409: 'Conflict', 412: 'Precondition Failed', 413: 'Content Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content',
  429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 500: 'Internal Server Error', 503: 'Service Unavailable',
};
