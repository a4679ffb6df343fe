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

/** An id claimed as unique (a tax id) already belongs to another stream: nothing was appended. */
export class UniqueLookupTakenError extends Error {
  readonly code = 'unique-lookup-taken';
  constructor(readonly kind: string, readonly id: string, readonly ownerStreamId: string) {
    super(`the ${kind} ${id} belongs to stream ${ownerStreamId}`);
    this.name = 'UniqueLookupTakenError';
  }
}
