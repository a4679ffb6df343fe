import { RecordedEvent } from '../store/event-store.types';
import { fromKafkaMessage, toKafkaMessage } from './cloud-event-mapping';

const event = (actorId: unknown): RecordedEvent => ({
  id: '00000000-0000-4000-8000-000000000001', type: 'Counted', schemaVersion: 1, data: { n: 1 }, occurredAt: '2026-11-24T00:00:00.000Z',
  streamId: 's-1', streamVersion: 3, partitionKey: 'c-1', globalPosition: '7', transactionId: '9', hash: '',
  metadata: { actor: { id: actorId as string, roles: ['sales'] }, correlationId: 'corr', causationId: 'cause' },
});

describe('CloudEvents mapping', () => {
  it('round-trips an event through binary-mode headers', () => {
    const message = toKafkaMessage(event('li.wei'), 'crm.customers');
    const back = fromKafkaMessage({ topic: 't', partition: 0, offset: '0', key: message.key, value: Buffer.from(message.value as string), headers: message.headers });
    expect(back).toMatchObject({ id: event('li.wei').id, type: 'Counted', subject: 'c-1', streamVersion: 3, data: { n: 1 },
      metadata: { actor: { id: 'li.wei', roles: ['sales'] }, correlationId: 'corr', causationId: 'cause' } });
  });

  it('carries the store\'s recording instant, and falls back to the event time for messages without it', () => {
    const message = toKafkaMessage({ ...event('u'), recordedAt: '2026-11-24T00:00:01.250Z' }, 'crm.credit');
    expect(message.headers.ce_recordedat).toBe('2026-11-24T00:00:01.250Z');
    const read = (headers: Record<string, string>) => fromKafkaMessage({ topic: 't', partition: 0, offset: '0', key: 'c-1', value: Buffer.from('{}'), headers });
    expect(read(message.headers).recordedAt).toBe('2026-11-24T00:00:01.250Z');
    const { ce_recordedat: _dropped, ...older } = message.headers;
    expect(read(older).recordedAt).toBe('2026-11-24T00:00:00.000Z');
  });

  it('writes only string headers, whatever the stored metadata holds, so the relay can always send', () => {
    for (const odd of [12345, { a: 1 }, null]) {
      const { headers } = toKafkaMessage(event(odd), 'crm.customers');
      expect(Object.values(headers).every((v) => typeof v === 'string')).toBe(true);
    }
    expect(toKafkaMessage(event({ a: 1 }), 'x').headers.ce_actor).toBe('{"a":1}');
  });

  it('namespaces the type and names the payload\'s schema; reads namespaced and bare types alike', () => {
    const message = toKafkaMessage(event('u'), 'crm.customers', 'com.acme.crm.customers');
    expect(message.headers).toMatchObject({ ce_type: 'com.acme.crm.customers.Counted', ce_dataschema: 'urn:crm:schema:Counted.v1' });
    const read = (headers: Record<string, string>) => fromKafkaMessage({ topic: 't', partition: 0, offset: '0', key: 'c-1', value: Buffer.from('{}'), headers });
    expect(read(message.headers).type).toBe('Counted');
    expect(read({ ...message.headers, ce_type: 'Counted' }).type).toBe('Counted');
    expect(toKafkaMessage(event('u'), 'test').headers.ce_type).toBe('Counted');
  });
});
