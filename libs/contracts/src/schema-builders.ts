import { JsonSchema } from './json-schema';

/** Small builders so contract schemas read like the payload types they describe. */
export const str = (extra: Partial<JsonSchema> = {}): JsonSchema => ({ type: 'string', ...extra });
export const int = (): JsonSchema => ({ type: 'integer' });
export const num = (): JsonSchema => ({ type: 'number' });
export const bool = (): JsonSchema => ({ type: 'boolean' });
export const date = (): JsonSchema => ({ type: 'string', format: 'date' });
export const uuid = (): JsonSchema => ({ type: 'string', format: 'uuid' });
export const currency = (): JsonSchema => ({ type: 'string', pattern: '^[A-Z]{3}$' });
export const arr = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
/** A string of personal data: sealed per customer in events (guarantee 9, crypto-shredding). */
export const personal = (description: string): JsonSchema => ({ type: 'string', description, 'x-personal-data': true });
/** The schema or null (an enum lists null too: JSON Schema checks `enum` apart from `type`). */
export const nullable = (schema: JsonSchema): JsonSchema => ({
  ...schema, type: [String(schema.type), 'null'], ...(Array.isArray(schema.enum) ? { enum: [...schema.enum, null] } : {}),
});

/** Every listed property is required unless its name ends with `?`. */
export function obj(properties: Record<string, JsonSchema>): JsonSchema {
  const entries = Object.entries(properties).map(([k, v]) => [k.replace(/\?$/, ''), v, !k.endsWith('?')] as const);
  return {
    type: 'object',
    required: entries.filter(([, , required]) => required).map(([k]) => k),
    properties: Object.fromEntries(entries.map(([k, v]) => [k, v])),
  };
}
