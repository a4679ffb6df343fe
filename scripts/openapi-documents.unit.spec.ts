import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const dir = path.join(__dirname, '../docs/api');
const documents = readdirSync(dir).filter((f) => f.endsWith('.openapi.json'));

describe('the OpenAPI documents (docs/api)', () => {
  it('give every request and response property a type: a `string | null` field without one reads as an object', () => {
    expect(documents.length).toBe(4);
    const untyped = documents.flatMap((file) => {
      const schemas: Record<string, { properties?: Record<string, Record<string, unknown>> }> = JSON.parse(readFileSync(path.join(dir, file), 'utf8')).components?.schemas ?? {};
      return Object.entries(schemas).flatMap(([name, schema]) => Object.entries(schema.properties ?? {})
        .filter(([, p]) => p.type === 'object' && !p.properties && !p.additionalProperties && !p.$ref && !p.allOf)
        .map(([property]) => `${file} ${name}.${property}`));
    });
    expect(untyped).toEqual([]);
  });
});

type Operation = { summary?: string; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };
const operations = documents.flatMap((file) => {
  const paths: Record<string, Record<string, Operation>> = JSON.parse(readFileSync(path.join(dir, file), 'utf8')).paths;
  return Object.entries(paths).flatMap(([route, methods]) => Object.entries(methods).map(([method, operation]) => ({ name: `${file} ${method.toUpperCase()} ${route}`, route, operation })));
});

describe('every operation in the OpenAPI documents', () => {
  it('has a summary saying what it does', () =>
    expect(operations.filter(({ operation }) => !operation.summary?.trim()).map(({ name }) => name)).toEqual([]));

  it('documents the schema of its success body', () =>
    expect(operations.filter(({ operation }) => !Object.entries(operation.responses)
      .some(([status, response]) => /^2\d\d$/.test(status) && Object.values(response.content ?? {}).some((c) => c.schema)))
      .map(({ name }) => name)).toEqual([]));

  it('lists the 400, 401 and 403 problems (the probes excepted: they take no token and no input)', () =>
    expect(operations.filter(({ route }) => !route.startsWith('/health/'))
      .filter(({ operation }) => ['400', '401', '403'].some((s) => !operation.responses[s]?.content?.['application/problem+json']))
      .map(({ name }) => name)).toEqual([]));
});
