import { COMMAND_SUPPORT_DDL } from './command/command-support.sql';
import { CONSUMER_DDL } from './consumer/consumer.sql';
import { PERSONAL_DATA_DDL } from './personal-data/personal-data.sql';
import { PROJECTION_DDL } from './projection/projection.sql';
import { RELAY_DDL } from './relay/relay.sql';
import { EVENT_STORE_DDL } from './store/event-store.sql';
import { Queryable } from './store/sql-client';

/** The eventing core's first tables; later ones (personal-data keys) come with their own migration. */
export const EVENTING_DDL = [EVENT_STORE_DDL, RELAY_DDL, CONSUMER_DDL, PROJECTION_DDL].join('\n');

export async function installEventing(db: Queryable): Promise<void> {
  await db.query(EVENTING_DDL);
  await db.query(PERSONAL_DATA_DDL);
  await db.query(COMMAND_SUPPORT_DDL);
}
