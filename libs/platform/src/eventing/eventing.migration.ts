import { COMMAND_SUPPORT_DDL, EVENTING_DDL, PERSONAL_DATA_DDL } from '@crm/eventing';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The eventing core's tables: the first migration of every service. */
export class Eventing1764000000000 implements MigrationInterface {
  name = 'Eventing1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(EVENTING_DDL);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS events, idempotency_keys, relay_checkpoints, consumer_checkpoints, parked_events, projection_rebuilds CASCADE');
  }
}

/** Per-customer personal-data keys (crypto-shredding), added after the first release. */
export class PersonalDataKeys1764200000000 implements MigrationInterface {
  name = 'PersonalDataKeys1764200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(PERSONAL_DATA_DDL);
  }

  /** Dropping the keys would erase every customer's personal data for good: refused. */
  async down(): Promise<void> {
    throw new Error('personal_data_keys is not dropped by a migration revert: that would erase all personal data');
  }
}

/** Snapshots, id lookups and the day-close schedule of the command handler (ADR 12). */
export class CommandSupport1764300000000 implements MigrationInterface {
  name = 'CommandSupport1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(COMMAND_SUPPORT_DDL);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP FUNCTION IF EXISTS es_append_indexed; DROP TABLE IF EXISTS snapshots, stream_lookups, stream_schedule`);
  }
}
