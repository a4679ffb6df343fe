import { CONSUMER_DDL } from '../consumer/consumer.sql';
import { PROJECTION_DDL } from '../projection/projection.sql';
import { RELAY_DDL } from '../relay/relay.sql';
import { EVENT_STORE_DDL } from '../store/event-store.sql';
import { EventingMigration, SqlRunner } from './eventing-migration';

/** The eventing core's first tables: events (the outbox), relay, consumers, rebuilds. */
export class Eventing1764000000000 implements EventingMigration {
  readonly name = 'Eventing1764000000000';

  async up(db: SqlRunner): Promise<void> {
    await db.query([EVENT_STORE_DDL, RELAY_DDL, CONSUMER_DDL, PROJECTION_DDL].join('\n'));
  }

  async down(db: SqlRunner): Promise<void> {
    await db.query('DROP TABLE IF EXISTS events, idempotency_keys, relay_checkpoints, consumer_checkpoints, parked_events, projection_rebuilds CASCADE');
  }
}
