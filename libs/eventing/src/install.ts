import { EVENTING_MIGRATIONS } from './migrations/eventing-migrations';
import { Queryable } from './store/sql-client';

/**
 * The eventing tables of a fresh database, for tests and benchmarks: the very migrations a
 * service runs, in the same order, so both get one schema.
 */
export async function installEventing(db: Queryable): Promise<void> {
  for (const Migration of EVENTING_MIGRATIONS) await new Migration().up(db);
}
