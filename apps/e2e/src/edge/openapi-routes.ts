import { readFileSync } from 'node:fs';
import path from 'node:path';

export const SERVICES = ['customers', 'credit', 'receivables', 'engagement'] as const;
export type Service = (typeof SERVICES)[number];

/** One operation of a service's committed OpenAPI document (kept fresh by `openapi.cjs --check`). */
export interface Route {
  service: Service;
  method: string;
  /** The template as documented: `/v1/customers/{id}`. */
  path: string;
  pathParams: string[];
  query: Array<{ name: string; schema: Schema }>;
  headers: string[];
  /** The request body's schema, with `$ref`s resolved against the document. */
  body?: Schema;
}

export type Schema = Record<string, any>;

/** The endpoints every service has outside its document: metrics, and the documents themselves. */
export const OPS_ROUTES = ['GET /metrics', 'GET /docs', 'GET /docs-json'] as const;

const root = path.resolve(__dirname, '../../../..');

export function documentOf(service: Service): Schema {
  return JSON.parse(readFileSync(path.join(root, 'docs/api', `${service}.openapi.json`), 'utf8'));
}

/** Resolves `$ref`s (and one-element `allOf`s) so generators and callers see plain schemas. */
function resolve(schema: Schema | undefined, document: Schema, depth = 0): Schema | undefined {
  if (!schema || depth > 12) return schema;
  if (schema.$ref) return resolve(document.components.schemas[String(schema.$ref).split('/').pop()!], document, depth + 1);
  if (schema.allOf?.length === 1) return resolve({ ...schema.allOf[0], ...schema, allOf: undefined }, document, depth + 1);
  const out: Schema = { ...schema };
  if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolve(v as Schema, document, depth + 1)]));
  if (schema.items) out.items = resolve(schema.items, document, depth + 1);
  return out;
}

export function routesOf(service: Service): Route[] {
  const document = documentOf(service);
  return Object.entries(document.paths as Record<string, Record<string, Schema>>).flatMap(([template, operations]) =>
    Object.entries(operations).filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method)).map(([method, operation]) => {
      const parameters: Schema[] = operation.parameters ?? [];
      return {
        service, method: method.toUpperCase(), path: template,
        pathParams: [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
        query: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: resolve(p.schema, document) ?? {} })),
        headers: parameters.filter((p) => p.in === 'header').map((p) => String(p.name).toLowerCase()),
        body: resolve(operation.requestBody?.content?.['application/json']?.schema ?? operation.requestBody?.content?.['application/merge-patch+json']?.schema, document),
      };
    }));
}

export const routeKey = (route: Pick<Route, 'method' | 'path'>) => `${route.method} ${route.path}`;
