import { installEventing, KafkajsTransport } from '@crm/eventing';
import { freshDatabase, kafkaBrokers, TestDatabase } from '../infra/test-infra';

/** A fresh database with the eventing tables, for specs of the eventing core and services. */
export function freshEventingDatabase(options: { poolSize?: number } = {}): Promise<TestDatabase> {
  return freshDatabase({ ...options, install: installEventing });
}

export function testTransport(clientId = 'test'): KafkajsTransport {
  return new KafkajsTransport({ brokers: kafkaBrokers(), clientId, quiet: true });
}
