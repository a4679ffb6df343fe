import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { breakingChanges } from './compatibility';
import { contractUpcasters } from './upcasters';
import { publishedContracts, schemaFileName } from './registry';

const dir = path.join(__dirname, '../schemas');

/**
 * The guard that lets teams own services separately: the committed schema of every
 * published event version is a promise. Changing it incompatibly fails here; the way out
 * is a new version with an upcaster from the previous one.
 */
describe('published event contracts', () => {
  it.each(publishedContracts.map((c) => [schemaFileName(c), c] as const))('%s is committed and unchanged in a breaking way', (file, contract) => {
    const committed = path.join(dir, file);
    expect(existsSync(committed) ? null : `missing ${file}: run npm run contracts:write and commit it`).toBeNull();
    const published = JSON.parse(readFileSync(committed, 'utf8'));
    expect(breakingChanges(published, contract.schema)).toEqual([]);
    expect(contract.schema).toEqual(published);
  });

  it('has an upcaster into every version after the first', () => {
    const missing = publishedContracts
      .filter((c) => c.version > 1 && !contractUpcasters.some((u) => u.type === c.type && u.fromVersion === c.version - 1))
      .map(schemaFileName);
    expect(missing).toEqual([]);
  });

  it('has a consecutive version history for every event type', () => {
    const byType = new Map<string, number[]>();
    publishedContracts.forEach((c) => byType.set(c.type, [...(byType.get(c.type) ?? []), c.version]));
    byType.forEach((versions) => expect([...versions].sort()).toEqual(versions.map((_, i) => i + 1)));
  });
});
