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
      tags: ['vip'], abcClass: null, stage: null, consent: { email: false, sms: false, phone: false, wechat: false }, archived: false,
      registeredAt: '2026-11-24T08:00:00.000Z', lastEventId: 'e-1',
    });
  });

  it('follows class, stage, consent, account manager, profile changes and archiving', () => {
    const at = (type: string, data: object, id: string): EventEnvelope => ({ ...registered, id, type, data: { customerId: 'c-1', ...data } });
    let entry = evolveCustomerDirectory(undefined, registered)!;
    const events = [
      at('CustomerAbcClassChanged', { abcClass: 'A', previousClass: null }, 'e-2'),
      at('CustomerLifecycleStageChanged', { stage: 'new', previousStage: 'prospect' }, 'e-3'),
      at('CustomerConsentChanged', { consent: { email: true, sms: false, phone: true, wechat: false }, changedChannels: ['email', 'phone'] }, 'e-4'),
      at('AccountManagerAssigned', { accountManager: 'am-7' }, 'e-5'),
      at('CustomerProfileUpdated', { changedFields: ['region', 'legalName'], region: 'West', legalName: 'Acme Ltd' }, 'e-6'),
      at('CustomerArchived', { reason: 'gone' }, 'e-7'),
    ];
    for (const event of events) {
      expect(customerDirectoryKey(event)).toBe('c-1');
      entry = evolveCustomerDirectory(entry, event)!;
    }
    expect(entry).toMatchObject({
      abcClass: 'A', stage: 'new', consent: { email: true, sms: false, phone: true, wechat: false }, accountManager: 'am-7',
      region: 'West', legalName: 'Acme Ltd', industry: null, archived: true, lastEventId: 'e-7',
    });
    expect(evolveCustomerDirectory(entry, at('CustomerReactivated', {}, 'e-8'))).toMatchObject({ archived: false, lastEventId: 'e-8' });
  });

  it('does not take a legal name from a person\'s profile update (it is sealed)', () => {
    const person = evolveCustomerDirectory(undefined, { ...registered, data: { ...registered.data, kind: 'person' } })!;
    const update: EventEnvelope = { ...registered, id: 'e-2', type: 'CustomerProfileUpdated', data: { customerId: 'c-1', changedFields: ['legalName'], legalName: 'sealed:v1:x' } };
    expect(evolveCustomerDirectory(person, update)).toMatchObject({ legalName: null });
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
    expect(evolveCustomerDirectory(structuredClone(company), erased)).toEqual({ ...company, lastEventId: 'e-2' });
    expect(evolveCustomerDirectory(undefined, erased)).toBeNull();
  });
});
