import { createHash } from 'node:crypto';
import { EVENTING_MIGRATIONS } from './eventing-migrations';

/**
 * What each released migration runs. A released migration never changes: databases that ran
 * it will not run it again, so an edit would reach only new databases (and tests). Change the
 * schema in a new migration, and pin it here once it is released.
 */
const RELEASED: Record<string, string> = {
  Eventing1764000000000: '4a31c6c0620ff7fe',
  PersonalDataKeys1764200000000: '6b22254be292b26f',
  CommandSupport1764300000000: 'fb04af83193d3f66',
  ParkedEventsSkipReason1764500000000: '658966874c91224c',
  DayCloseRuns1764550000000: 'd3432aef1c427494',
  UniqueLookups1764600000000: '837bae320f44ba35',
  AppendNotifications1764650000000: '6baddd7287d105e6',
  CountersAndGates1764720000000: '8888b11392a8aad5',
  ChainAnchorHeads1764740000000: '58c205ae4295e972',
  CheckpointLogPositions1764760000000: 'b4a85db1d6c37018',
  AppendNotificationsAfterCommit1764780000000: '3c638a0a469f6acb',
};

async function sqlOf(Migration: (typeof EVENTING_MIGRATIONS)[number]): Promise<string> {
  const sql: string[] = [];
  await new Migration().up({ query: async (text: string) => sql.push(text) });
  return createHash('sha256').update(sql.join('\n')).digest('hex').slice(0, 16);
}

describe('eventing migrations', () => {
  it('are named <Name><13-digit timestamp>, oldest first, each once', () => {
    const timestamps = EVENTING_MIGRATIONS.map((M) => Number(/^[A-Za-z]+(\d{13})$/.exec(new M().name)?.[1]));
    expect(timestamps.every(Number.isFinite)).toBe(true);
    expect([...timestamps].sort((a, b) => a - b)).toEqual(timestamps);
    expect(new Set(timestamps).size).toBe(timestamps.length);
  });

  it('run the SQL they were released with: a schema change is a new migration', async () => {
    const actual = Object.fromEntries(await Promise.all(EVENTING_MIGRATIONS.map(async (M) => [new M().name, await sqlOf(M)])));
    expect(actual).toEqual(RELEASED);
  });
});
