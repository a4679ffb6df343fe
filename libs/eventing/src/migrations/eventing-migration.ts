/** What a migration needs to run raw SQL: a TypeORM QueryRunner in services, a pg Pool in tests. */
export interface SqlRunner {
  query(sql: string): Promise<unknown>;
}

/**
 * One schema change of the eventing tables, as a timestamped class with raw SQL `up`/`down`
 * (TypeORM's MigrationInterface, structurally). Once released it never changes: a new column
 * comes in a new migration.
 */
export interface EventingMigration {
  /** `<Name><13-digit timestamp>`: how TypeORM orders and records it. */
  readonly name: string;
  up(db: SqlRunner): Promise<void>;
  down(db: SqlRunner): Promise<void>;
}
