import { EventEnvelope } from '@crm/contracts';
import { registeredContactId } from '../customer/customer.decider';
import { directoryKey, DirectoryEntry, evolveDirectoryEntry } from './customer-directory.evolve';

const id = '11111111-2222-4333-8444-555555555555';
let n = 0;
const envelope = (type: string, data: object): EventEnvelope => ({
  id: `e-${++n}`, type, schemaVersion: 1, source: 'crm.customers', subject: id, time: '2026-11-24T08:00:00.000Z',
  streamId: `customer-${id}`, streamVersion: n, data, metadata: { actor: { id: 'u', roles: ['sales'] }, correlationId: 'x', causationId: 'y' },
} as EventEnvelope);
const fold = (events: EventEnvelope[]) => events.reduce<DirectoryEntry | undefined>((d, e) => evolveDirectoryEntry(d, e) ?? undefined, undefined);

describe('customers directory read model', () => {
  const company = envelope('CustomerRegistered', { customerId: id, kind: 'company', legalName: 'Acme', taxId: '91-310 a', tags: ['vip'],
    contacts: [{ name: 'sealed:v1:x', emailBlindIndex: 'bi1:one' }, { name: 'sealed:v1:y' }] });

  it('keeps a company\'s name, its tax id key and the blind indexes of its contact emails', () => {
    expect(directoryKey(company)).toBe(id);
    expect(fold([company])).toMatchObject({ legalName: 'Acme', taxIdKey: '91310A', tags: ['vip'], emailIndexes: ['bi1:one'], archived: false, abcClass: null,
      contactEmails: { [registeredContactId(id, 0)]: 'bi1:one', [registeredContactId(id, 1)]: null } });
  });

  it('follows profile, contact, manager and archive changes', () => {
    const contactId = '99999999-2222-4333-8444-555555555555';
    const entry = fold([company,
      envelope('CustomerProfileUpdated', { customerId: id, changedFields: ['legalName', 'region', 'taxId', 'tags'], legalName: 'Acme 2', region: 'East', taxId: null, tags: [] }),
      envelope('ContactAdded', { customerId: id, contactId, name: 'sealed:v1:z', emailBlindIndex: 'bi1:two' }),
      envelope('ContactUpdated', { customerId: id, contactId: registeredContactId(id, 0), changedFields: ['email'], email: null, emailBlindIndex: null }),
      envelope('ContactRemoved', { customerId: id, contactId: registeredContactId(id, 1) }),
      envelope('AccountManagerAssigned', { customerId: id, accountManager: 'am-9' }),
      envelope('CustomerArchived', { customerId: id, reason: 'x' }),
    ]);
    expect(entry).toMatchObject({ legalName: 'Acme 2', region: 'East', taxId: null, taxIdKey: null, tags: [], emailIndexes: ['bi1:two'], accountManager: 'am-9', archived: true });
    expect(Object.keys(entry!.contactEmails)).toHaveLength(2);
    expect(evolveDirectoryEntry(entry, envelope('CustomerReactivated', { customerId: id }))!.archived).toBe(false);
    const classified = fold([company, envelope('CustomerAbcClassChanged', { customerId: id, abcClass: 'B' }), envelope('CustomerLifecycleStageChanged', { customerId: id, stage: 'repeat' })]);
    expect(classified).toMatchObject({ abcClass: 'B', stage: 'repeat' });
  });

  it('keeps no person\'s name, and drops the email indexes (and a person\'s name) on erasure', () => {
    const person = envelope('CustomerRegistered', { customerId: id, kind: 'person', legalName: 'sealed:v1:abc', tags: [], contacts: [{ name: 'n', emailBlindIndex: 'bi1:p' }] });
    expect(fold([person])).toMatchObject({ legalName: null, emailIndexes: ['bi1:p'] });
    const renamed = envelope('CustomerProfileUpdated', { customerId: id, changedFields: ['legalName'], legalName: 'sealed:v1:def' });
    expect(fold([person, renamed])!.legalName).toBeNull();
    const erased = envelope('CustomerPersonalDataErased', { customerId: id, reason: 'DSR-1' });
    expect(fold([person, erased])).toMatchObject({ legalName: null, emailIndexes: [] });
    expect(fold([company, erased])).toMatchObject({ legalName: 'Acme', emailIndexes: [] });
  });

  it('ignores events of a customer it never saw registered, and other event types', () => {
    expect(evolveDirectoryEntry(undefined, envelope('CustomerArchived', { customerId: id, reason: 'x' }))).toBeNull();
    expect(directoryKey(envelope('CustomerConsentChanged', {}))).toBeUndefined();
  });

  it('keeps care-date indexes per contact, follows changes and drops them on erasure', () => {
    const contactId = '99999999-2222-4333-8444-555555555555';
    const added = envelope('ContactAdded', { customerId: id, contactId, name: 'n', birthdayBlindIndex: 'cd1:x' });
    expect(fold([company, added])).toMatchObject({ careDateIndexes: ['cd1:x'] });
    const moved = envelope('ContactUpdated', { customerId: id, contactId, changedFields: ['birthday'], birthday: 's', birthdayBlindIndex: 'cd1:y' });
    expect(fold([company, added, moved])!.careDateIndexes).toEqual(['cd1:y']);
    expect(fold([company, added, envelope('CustomerPersonalDataErased', { customerId: id, reason: 'DSR' })])!.careDateIndexes).toEqual([]);
    expect(fold([company, added, envelope('ContactRemoved', { customerId: id, contactId })])!.careDateIndexes).toEqual([]);
  });
});
