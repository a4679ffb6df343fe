import { PERSONAL_DATA_DDL } from '../personal-data/personal-data.sql';
import { EventingMigration, SqlRunner } from './eventing-migration';

/** Per-customer personal-data keys (crypto-shredding), added after the first release. */
export class PersonalDataKeys1764200000000 implements EventingMigration {
  readonly name = 'PersonalDataKeys1764200000000';

  async up(db: SqlRunner): Promise<void> {
    await db.query(PERSONAL_DATA_DDL);
  }

  /** Dropping the keys would erase every customer's personal data for good: refused. */
  async down(): Promise<void> {
    throw new Error('personal_data_keys is not dropped by a migration revert: that would erase all personal data');
  }
}
