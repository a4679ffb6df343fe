import { EventEnvelope } from '@crm/contracts';
import { customerDirectoryKey, evolveCustomerDirectory } from './customer-directory.evolve';

const registered: EventEnvelope = {
  id: 'e-1', type: 'CustomerRegistered', schemaVersion: 1, source: 'crm.customers', subject: 'c-1',
  time: '2026-11-24T08:00:00.000Z', streamId: 'customer-c-1', streamVersion: 1,
  data: { customerId: 'c-1', kind: 'company', legalName: 'Acme', region: 'East', tags: ['vip'] },
  metadata: { actor: { id: 'u', roles: ['sales'] }, correlationId: 'x', causationId: 'y' },
};

describe('customer directory read model', () => {
  it('creates an entry from CustomerRegistered with the event time as registration time', () => {
    expect(customerDirectoryKey(registered)).toBe('c-1');
    expect(evolveCustomerDirectory(undefined, registered)).toEqual({
      customerId: 'c-1', kind: 'company', legalName: 'Acme', industry: null, region: 'East', accountManager: null,
      tags: ['vip'], registeredAt: '2026-11-24T08:00:00.000Z', lastEventId: 'e-1',
    });
  });

  it('ignores event types it does not know', () => {
    const other = { ...registered, type: 'SomethingElse' };
    expect(customerDirectoryKey(other)).toBeUndefined();
    expect(evolveCustomerDirectory(undefined, other)).toBeNull();
  });
});
