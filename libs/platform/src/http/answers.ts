import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { PROBLEM_BASE, TITLES } from './problem';

/** The statuses a domain refusal or a platform check can answer with, besides 400/401/403. */
export type ProblemStatus = 403 | 404 | 409 | 412 | 422 | 503;

export interface AnswersOptions {
  /** What the operation does, one line (the OpenAPI `summary`). */
  summary: string;
  /** The success status; 200 unless the operation says otherwise (201 for a POST that creates). */
  status?: number;
  description?: string;
  /** The body is a list of `body` (the handler answers an array). */
  isArray?: boolean;
  /** The body is a keyset page of `body`: `{ items, nextCursor }`. */
  page?: boolean;
  /**
   * The problem types (the last segment of `type`, e.g. `credit-hold`) this operation answers
   * with, by status: documented as that status's problem+json response, naming each type.
   */
  problems?: Partial<Record<ProblemStatus, string[]>>;
}

/**
 * One decorator per operation: its summary, its success body and the domain problems it can
 * answer with. 400/401/403 and `default` are added to every operation by withProblemResponses.
 */
export function Answers(body: Type<unknown> | SchemaObject, options: AnswersOptions): MethodDecorator {
  const status = options.status ?? 200;
  const isClass = typeof body === 'function';
  const schema: SchemaObject | ReferenceObject = isClass ? { $ref: getSchemaPath(body) } : body;
  return applyDecorators(
    ApiOperation({ summary: options.summary }),
    ...(isClass ? [ApiExtraModels(body)] : []),
    ApiResponse({ status, description: options.description ?? TITLES[status] ?? 'OK', schema: shapeOf(schema, options) }),
    ...Object.entries(options.problems ?? {}).map(([code, domainTypes]) => {
      // A 403 is also the role check's (`forbidden`), which every operation has.
      const types = code === '403' ? ['forbidden', ...domainTypes] : domainTypes;
      return ApiResponse({
        status: Number(code),
        description: types.map((t) => `\`${t}\``).join(', '),
        content: { 'application/problem+json': { schema: problemOf(types) } },
      });
    }),
  );
}

function shapeOf(schema: SchemaObject | ReferenceObject, options: AnswersOptions): SchemaObject | ReferenceObject {
  if (options.isArray) return { type: 'array', items: schema };
  if (!options.page) return schema;
  return {
    type: 'object', required: ['items', 'nextCursor'],
    properties: { items: { type: 'array', items: schema }, nextCursor: { type: 'string', nullable: true, description: 'pass as `cursor` for the next page; null on the last' } },
  };
}

/** The Problem schema with `type` narrowed to the URIs this response can carry. */
function problemOf(types: string[]): SchemaObject {
  return { allOf: [{ $ref: '#/components/schemas/Problem' }, { type: 'object', properties: { type: { type: 'string', enum: types.map((t) => `${PROBLEM_BASE}${t}`) } } }] };
}
