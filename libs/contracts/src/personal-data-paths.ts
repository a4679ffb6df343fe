import { JsonSchema } from './json-schema';

/**
 * The paths of a schema's personal-data strings, written the way `mapPersonalFields` reads
 * them: `contacts[].email` is the `email` of every item of the `contacts` array.
 */
export function personalDataPaths(schema: JsonSchema, at = ''): string[] {
  if (schema['x-personal-data']) return [at];
  if (schema.items) return personalDataPaths(schema.items, `${at}[]`);
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) =>
    personalDataPaths(property, at ? `${at}.${name}` : name));
}
