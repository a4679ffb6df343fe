/** A refused command: a stable code (the problem `type`), the HTTP status, and the field at fault. */
export class ReceivablesError extends Error {
  constructor(
    readonly code: string,
    readonly status: 400 | 403 | 404 | 409 | 422,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ReceivablesError';
  }
}

export const refuse = (code: string, status: ReceivablesError['status'], message: string, field?: string) =>
  new ReceivablesError(code, status, message, field);
