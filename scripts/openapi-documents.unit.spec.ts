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
