/**
 * What kind of refusal a domain error is. The HTTP edge maps each kind to one status
 * (libs/platform's problem mapping); domain code never names a status.
 */
export type DomainErrorKind = 'invalid' | 'not-found' | 'conflict' | 'forbidden' | 'refused';

/**
 * The one error type deciders throw: a stable `code` (the problem `type` clients branch on),
 * its kind, a message for people, and the request field at fault when there is one.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    readonly field?: string,
    /** Extra members of the problem document (e.g. `existingCustomerId`). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const domainError = (code: string, kind: DomainErrorKind, message: string, field?: string, details?: Record<string, unknown>) =>
  new DomainError(code, kind, message, field, details);
