/** A 400 `…/validation` problem listing each bad field with its messages. */
export class ValidationProblem extends Error {
  constructor(readonly errors: Array<{ field: string; messages: string[] }>) {
    super('validation failed');
  }
}
