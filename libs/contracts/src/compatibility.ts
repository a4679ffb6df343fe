import { JsonSchema } from './json-schema';

function typeOf(schema: JsonSchema): string {
  return JSON.stringify(schema.type ?? 'any');
}

/**
 * Changes to a published schema that would break a consumer still reading it: a property
 * removed, its type changed, an enum value removed, or a property newly required (old
 * events lack it). Adding optional properties or enum values is compatible.
 */
export function breakingChanges(published: JsonSchema, current: JsonSchema, at = ''): string[] {
  const problems: string[] = [];
  const where = at || '(root)';
  if (typeOf(published) !== typeOf(current)) problems.push(`${where}: type ${typeOf(published)} became ${typeOf(current)}`);
  // Sealing a field breaks its readers; unsealing it publishes personal data in clear.
  if (Boolean(published['x-personal-data']) !== Boolean(current['x-personal-data'])) {
    problems.push(`${where}: personal-data marking ${published['x-personal-data'] ? 'removed' : 'added'}`);
  }
  if (published.enum) {
    const kept = new Set(current.enum ?? []);
    published.enum.filter((v) => current.enum && !kept.has(v)).forEach((v) => problems.push(`${where}: enum value ${JSON.stringify(v)} removed`));
  }
  for (const [name, schema] of Object.entries(published.properties ?? {})) {
    const next = current.properties?.[name];
    if (!next) problems.push(`${at}${name}: removed`);
    else problems.push(...breakingChanges(schema, next, `${at}${name}.`));
  }
  const before = new Set(published.required ?? []);
  (current.required ?? []).filter((r) => !before.has(r)).forEach((r) => problems.push(`${at}${r}: newly required`));
  if (published.items && current.items) problems.push(...breakingChanges(published.items, current.items, `${at}[].`));
  return problems;
}
