import { Type } from '@nestjs/common';
import { createValidationPipe, ValidationProblem } from '../http/validation';
import { WhatIfPolicyError } from './what-if-scenario';

/**
 * A what-if policy file read as the body of the policy's own PUT: the same pipe (unknown fields
 * refused, each field's range), so the file and the API cannot drift apart.
 */
export async function whatIfPolicyBody<T extends object>(dto: Type<T>, json: unknown): Promise<T> {
  try {
    return await createValidationPipe().transform(json, { type: 'body', metatype: dto });
  } catch (error) {
    if (error instanceof ValidationProblem) throw new WhatIfPolicyError(error.errors.map((e) => ({ field: e.field, message: e.messages.join('; ') })));
    throw error;
  }
}
