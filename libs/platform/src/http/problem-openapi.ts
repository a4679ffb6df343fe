import { OpenAPIObject } from '@nestjs/swagger';
import { OperationObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { PROBLEM_BASE } from './problem';

/** RFC 9457 problem details as every service sends them (see ProblemJsonFilter). */
const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', description: 'URI naming the problem; its last segment (e.g. `credit-hold`) is stable', example: 'https://crm.example/problems/validation' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'the request path' },
    errors: {
      type: 'array',
      description: 'validation problems: each bad field, query parameter or header',
      items: { type: 'object', required: ['field', 'messages'], properties: { field: { type: 'string', example: 'lines[0].unitPrice' }, messages: { type: 'array', items: { type: 'string' } } } },
    },
  },
};

const COMMON: Record<string, string> = {
  400: 'Invalid input: `errors[]` names each bad field; nothing was changed',
  401: 'Missing or invalid bearer token',
  403: 'The token\'s roles do not allow this operation',
  default: 'Any other error (404, 409, 412, 422, 5xx), as problem+json',
};

/** What every write can also answer, from the HTTP edge rather than the handler. */
const WRITES: Record<string, string> = {
  413: 'The body is larger than HTTP_MAX_BODY_BYTES (1 MiB unless configured)',
  415: 'The body is not application/json (application/merge-patch+json for PATCH)',
  429: 'Too many writes by this actor (RATE_LIMIT_WRITES_PER_MINUTE, RATE_LIMIT_WRITE_BURST): retry after `Retry-After` seconds',
};

/**
 * Adds the Problem schema and the error responses every operation can give, so clients
 * generated from the document know the error shape without reading the code.
 */
export function withProblemResponses(document: OpenAPIObject): OpenAPIObject {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA as any } };
  const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
  for (const [route, path] of Object.entries(document.paths)) {
    // Probes and metrics take no token and no input.
    if (/^\/(health|metrics)\b/.test(route)) {
      for (const operation of Object.values(path)) if (operation && typeof operation === 'object' && 'responses' in operation) operation.security = [];
      continue;
    }
    for (const [method, operation] of Object.entries(path)) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      addPlatformProblems(operation as OperationObject);
      const write = ['post', 'put', 'patch', 'delete'].includes(method);
      for (const [status, description] of Object.entries({ ...COMMON, ...(write ? WRITES : {}) })) {
        operation.responses[status] ??= { description, content: problem };
      }
      if (write) operation.responses['429'].headers ??= { 'Retry-After': { description: 'seconds to wait before the next write', schema: { type: 'integer' } } };
    }
  }
  return document;
}

/**
 * Problems the platform itself answers with, known from the operation's headers. (A stale
 * If-Match is the service's own: 412 in customers, 409 `concurrency-conflict` elsewhere.)
 */
function addPlatformProblems(operation: OperationObject): void {
  const headers = new Set((operation.parameters ?? []).flatMap((p) => ('in' in p && p.in === 'header' ? [p.name.toLowerCase()] : [])));
  if (headers.has('idempotency-key')) addProblem(operation, 422, 'idempotency-key-reused');
}

/** Adds one problem type to the operation's response for that status (made if missing). */
function addProblem(operation: OperationObject, status: number, type: string): void {
  const uri = `${PROBLEM_BASE}${type}`;
  const response = (operation.responses[status] ??= {
    description: '',
    content: { 'application/problem+json': { schema: { allOf: [{ $ref: '#/components/schemas/Problem' }, { type: 'object', properties: { type: { type: 'string', enum: [] } } }] } } },
  }) as any;
  const typeSchema = response.content?.['application/problem+json']?.schema?.allOf?.[1]?.properties?.type;
  if (!typeSchema || typeSchema.enum.includes(uri)) return;
  typeSchema.enum.push(uri);
  response.description = [response.description, `\`${type}\``].filter(Boolean).join(', ');
}
