import { freshDatabase, kafkaBrokers, TestDatabase } from '@crm/testing';
import { installEventing } from '../install';
import { KafkajsTransport } from '../transport/kafkajs-transport';

/** A fresh database with the eventing tables, for specs of the eventing core and services. */
export function freshEventingDatabase(options: { poolSize?: number } = {}): Promise<TestDatabase> {
  return freshDatabase({ ...options, install: installEventing });
}

export function testTransport(clientId = 'test'): KafkajsTransport {
  return new KafkajsTransport({ brokers: kafkaBrokers(), clientId, quiet: true });
}
