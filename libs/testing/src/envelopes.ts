import { EventEnvelope } from '@crm/contracts';

let sequence = 0;

/**
 * A domain event (`{ type, schemaVersion?, data }`, e.g. what a decider returns or a contract
 * type's payload) as the envelope a projection or policy reads, for specs, without a cast: the
 * reader narrows it by type (`isEventOf`). The subject defaults to the payload's `customerId`.
 */
export function envelopeOf(event: { type: string; schemaVersion?: number; data: object }, at: Partial<EventEnvelope> = {}): EventEnvelope {
  const n = ++sequence;
  const customerId = 'customerId' in event.data && typeof event.data.customerId === 'string' ? event.data.customerId : 'subject';
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, source: 'crm.test', subject: customerId, time: '2026-01-01T00:00:00.000Z',
    streamId: `stream-${customerId}`, streamVersion: n, metadata: { actor: { id: 'spec', roles: [] }, correlationId: 'spec', causationId: 'spec' },
    ...event, schemaVersion: event.schemaVersion ?? 1, ...at,
  };
}
