import { EventEnvelope } from '@crm/contracts';
import { DocumentProjection, DocumentProjectionHandler, inTransaction, installEventing, KafkajsTransport } from '@crm/eventing';
import { Pool } from 'pg';
import { freshDatabase, kafkaBrokers, TestDatabase } from '../infra/test-infra';

/** A fresh database with the eventing tables, for specs of the eventing core and services. */
export function freshEventingDatabase(options: { poolSize?: number } = {}): Promise<TestDatabase> {
  return freshDatabase({ ...options, install: installEventing });
}

export function testTransport(clientId = 'test'): KafkajsTransport {
  return new KafkajsTransport({ brokers: kafkaBrokers(), clientId, quiet: true });
}

/**
 * Feeds a document projection batch by batch, each in its own transaction as a live consumer
 * commits them: how read-model specs show that batch boundaries do not change the rows.
 */
export async function applyProjectionBatches(pool: Pool, projection: DocumentProjection, tables: Record<string, string>, batches: EventEnvelope[][]): Promise<void> {
  const handler = new DocumentProjectionHandler(projection);
  for (const events of batches) await inTransaction(pool, (tx) => handler.handle(events, { tx, mode: 'live', tables }));
}
