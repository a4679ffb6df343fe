import { DocumentProjection } from '@crm/eventing';

/** Test read model: per key, how many events and the sum of their `n`, in order seen. */
export function counterProjection(topic: string, table = 'counters'): DocumentProjection<{ count: number; sum: number; lastVersion: number }> {
  return {
    name: 'counters',
    table,
    topics: [topic],
    columns: [`total bigint GENERATED ALWAYS AS ((doc->>'sum')::bigint) STORED`],
    indexes: ['(total)'],
    keyOf: (e) => e.subject,
    evolve: (doc, e) => ({
      count: (doc?.count ?? 0) + 1,
      sum: (doc?.sum ?? 0) + Number((e.data as any).n ?? 0),
      lastVersion: e.streamVersion,
    }),
  };
}
