export class WrongExpectedVersionError extends Error {
  readonly code = 'wrong-expected-version';
  constructor(readonly streamId: string, detail: string) {
    super(detail);
    this.name = 'WrongExpectedVersionError';
  }
}

export class IdempotencyKeyReusedError extends Error {
  readonly code = 'idempotency-key-reused';
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was already used for a different request`);
    this.name = 'IdempotencyKeyReusedError';
  }
}
