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

  it('keeps no legal name of a person, and drops a kept one when the personal data is erased; a company keeps its name', () => {
    const person = { ...registered, data: { ...registered.data, kind: 'person', legalName: 'sealed:v1:abc' } };
    expect(evolveCustomerDirectory(undefined, person)).toMatchObject({ kind: 'person', legalName: null });
    const erased: EventEnvelope = { ...registered, id: 'e-2', type: 'CustomerPersonalDataErased', data: { customerId: 'c-1', reason: 'DSR-1' } };
    expect(customerDirectoryKey(erased)).toBe('c-1');
    const keptBefore = { ...evolveCustomerDirectory(undefined, registered)!, kind: 'person', legalName: 'Li Wei' };
    expect(evolveCustomerDirectory(keptBefore, erased)).toMatchObject({ legalName: null, lastEventId: 'e-2' });
    const company = evolveCustomerDirectory(undefined, registered)!;
    expect(evolveCustomerDirectory(company, erased)).toEqual(company);
    expect(evolveCustomerDirectory(undefined, erased)).toBeNull();
  });
});
