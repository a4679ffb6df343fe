import { deciderSpec } from '@crm/testing';
import { customerDecider, CustomerDomainEvent, registeredContactId, taxIdKey } from './customer.decider';

const spec = deciderSpec(customerDecider);
const id = '11111111-2222-4333-8444-555555555555';
const contactId = '99999999-2222-4333-8444-555555555555';
const company: CustomerDomainEvent = {
  type: 'CustomerRegistered', schemaVersion: 1,
  data: { customerId: id, kind: 'company', legalName: 'Acme Ltd', region: 'East', taxId: '91310000-MA1FL', tags: ['export'], accountManager: 'am-1' },
};
const person: CustomerDomainEvent = { type: 'CustomerRegistered', schemaVersion: 1, data: { customerId: id, kind: 'person', legalName: 'Li Wei', tags: [] } };
const archived: CustomerDomainEvent = { type: 'CustomerArchived', schemaVersion: 1, data: { customerId: id, reason: 'relationship ended' } };
const erased: CustomerDomainEvent = { type: 'CustomerPersonalDataErased', schemaVersion: 1, data: { customerId: id, reason: 'DSR-1' } };
const contactAdded: CustomerDomainEvent = { type: 'ContactAdded', schemaVersion: 1, data: { customerId: id, contactId, name: 'Wang Fang', email: 'wf@example.cn' } };
const consent = { email: true, sms: false, phone: false, wechat: true };
const by = { source: 'signed contract', changedBy: 'u-1', changedAt: '2026-11-30T10:00:00.000Z' };

describe('customer decider: profile changes (JSON merge patch)', () => {
  it('records one event naming only the fields that change, null clearing an optional one', () =>
    spec.given([company]).when({ type: 'UpdateCustomerProfile', data: { customerId: id, legalName: 'Acme Ltd', region: null, industry: 'tea', tags: ['Export', 'VIP'] } })
      .then([{ type: 'CustomerProfileUpdated', schemaVersion: 1, data: { customerId: id, changedFields: ['industry', 'region', 'tags'], industry: 'tea', region: null, tags: ['export', 'vip'] } }]));

  it('records nothing for a patch that changes nothing (same values, same tags in another case, same tax id regrouped)', () =>
    spec.given([company]).when({ type: 'UpdateCustomerProfile', data: { customerId: id, region: 'East', tags: ['EXPORT'], taxId: '91310000ma1fl' } }).thenNothingHappened());

  it('always records a person\'s legal name sent (a sealed value cannot be compared)', () =>
    spec.given([person]).when({ type: 'UpdateCustomerProfile', data: { customerId: id, legalName: 'Li Wei' } })
      .then([{ type: 'CustomerProfileUpdated', schemaVersion: 1, data: { customerId: id, changedFields: ['legalName'], legalName: 'Li Wei' } }]));

  it('refuses to clear the legal name', () =>
    spec.given([company]).when({ type: 'UpdateCustomerProfile', data: { customerId: id, legalName: null as never } }).thenThrows('invalid-legal-name', 'legalName'));

  it('refuses a new legal name for an erased person', () =>
    spec.given([person, erased]).when({ type: 'UpdateCustomerProfile', data: { customerId: id, legalName: 'Someone' } }).thenThrows('personal-data-erased'));

  it('refuses changes to an unknown customer and to an archived one', () => {
    spec.given([]).when({ type: 'UpdateCustomerProfile', data: { customerId: id, region: 'West' } }).thenThrows('customer-not-found');
    spec.given([company, archived]).when({ type: 'UpdateCustomerProfile', data: { customerId: id, region: 'West' } }).thenThrows('customer-archived');
  });

  it('folds a profile change into the state', () => {
    let state = customerDecider.initialState();
    for (const e of [company, { type: 'CustomerProfileUpdated', schemaVersion: 1, data: { customerId: id, changedFields: ['region', 'taxId'], region: null, taxId: 'X-1' } }] as CustomerDomainEvent[]) {
      state = customerDecider.evolve(state, e);
    }
    expect(state).toMatchObject({ taxId: 'X-1', legalName: 'Acme Ltd' });
    expect(state).not.toHaveProperty('region');
  });

  it('keys tax ids without case and grouping', () => expect(taxIdKey('91 310.000-ma1fl')).toBe('91310000MA1FL'));
});

describe('customer decider: contacts', () => {
  it('adds a contact with its email in lower case; the same contact id twice is one contact', () => {
    spec.given([company]).when({ type: 'AddContact', data: { customerId: id, contactId, name: 'Wang Fang', email: ' WF@Example.CN' } }).then([contactAdded]);
    spec.given([company, contactAdded]).when({ type: 'AddContact', data: { customerId: id, contactId, name: 'Wang Fang' } }).thenNothingHappened();
  });

  it('refuses contacts for an unknown, an archived or an erased customer', () => {
    const add = { type: 'AddContact' as const, data: { customerId: id, contactId, name: 'X' } };
    spec.given([]).when(add).thenThrows('customer-not-found');
    spec.given([company, archived]).when(add).thenThrows('customer-archived');
    spec.given([company, erased]).when(add).thenThrows('personal-data-erased');
  });

  it('updates the fields sent, null clearing one', () =>
    spec.given([company, contactAdded]).when({ type: 'UpdateContact', data: { customerId: id, contactId, email: null, phone: '+8613800138000' } })
      .then([{ type: 'ContactUpdated', schemaVersion: 1, data: { customerId: id, contactId, changedFields: ['phone', 'email'], phone: '+8613800138000', email: null } }]));

  it('records nothing for an empty contact patch, refuses to clear the name', () => {
    spec.given([company, contactAdded]).when({ type: 'UpdateContact', data: { customerId: id, contactId } }).thenNothingHappened();
    spec.given([company, contactAdded]).when({ type: 'UpdateContact', data: { customerId: id, contactId, name: null as never } }).thenThrows('invalid-contact-name');
  });

  it('refuses to update or remove an unknown contact, or update one after erasure', () => {
    spec.given([company]).when({ type: 'UpdateContact', data: { customerId: id, contactId, name: 'X' } }).thenThrows('contact-not-found', 'contactId');
    spec.given([company]).when({ type: 'RemoveContact', data: { customerId: id, contactId } }).thenThrows('contact-not-found');
    spec.given([company, contactAdded, erased]).when({ type: 'UpdateContact', data: { customerId: id, contactId, name: 'X' } }).thenThrows('personal-data-erased');
  });

  it('removes a contact, which then is unknown', () => {
    const removed: CustomerDomainEvent = { type: 'ContactRemoved', schemaVersion: 1, data: { customerId: id, contactId } };
    spec.given([company, contactAdded]).when({ type: 'RemoveContact', data: { customerId: id, contactId } }).then([removed]);
    spec.given([company, contactAdded, removed]).when({ type: 'RemoveContact', data: { customerId: id, contactId } }).thenThrows('contact-not-found');
  });

  it('gives the registration\'s contacts stable ids that can be changed', () => {
    const withContacts: CustomerDomainEvent = { ...company, data: { ...company.data, contacts: [{ name: 'A' }, { name: 'B' }] } };
    const second = registeredContactId(id, 1);
    expect(second).toMatch(/^[0-9a-f-]{36}$/);
    spec.given([withContacts]).when({ type: 'RemoveContact', data: { customerId: id, contactId: second } })
      .then([{ type: 'ContactRemoved', schemaVersion: 1, data: { customerId: id, contactId: second } }]);
  });
});

describe('customer decider: consent, account manager, archive', () => {
  it('records consent with who, when and the source, naming the channels that changed', () =>
    spec.given([company]).when({ type: 'SetConsent', data: { customerId: id, consent, ...by } })
      .then([{ type: 'CustomerConsentChanged', schemaVersion: 1, data: { customerId: id, consent, changedChannels: ['email', 'wechat'], ...by } }]));

  it('records nothing when the consent is as recorded', () =>
    spec.given([company, { type: 'CustomerConsentChanged', schemaVersion: 1, data: { customerId: id, consent, changedChannels: ['email', 'wechat'], ...by } }])
      .when({ type: 'SetConsent', data: { customerId: id, consent: { ...consent }, ...by, source: 'web form' } }).thenNothingHappened());

  it('refuses consent for an archived customer', () =>
    spec.given([company, archived]).when({ type: 'SetConsent', data: { customerId: id, consent, ...by } }).thenThrows('customer-archived'));

  it('assigns an account manager naming the previous one; the same one again is nothing', () => {
    spec.given([company]).when({ type: 'AssignAccountManager', data: { customerId: id, accountManager: 'am-2' } })
      .then([{ type: 'AccountManagerAssigned', schemaVersion: 1, data: { customerId: id, accountManager: 'am-2', previousAccountManager: 'am-1' } }]);
    spec.given([person]).when({ type: 'AssignAccountManager', data: { customerId: id, accountManager: 'am-2' } })
      .then([{ type: 'AccountManagerAssigned', schemaVersion: 1, data: { customerId: id, accountManager: 'am-2' } }]);
    spec.given([company]).when({ type: 'AssignAccountManager', data: { customerId: id, accountManager: 'am-1' } }).thenNothingHappened();
    spec.given([]).when({ type: 'AssignAccountManager', data: { customerId: id, accountManager: 'am-1' } }).thenThrows('customer-not-found');
  });

  it('archives once and reactivates once; an archived customer can be reactivated and changed again', () => {
    spec.given([company]).when({ type: 'ArchiveCustomer', data: archived.data as never }).then([archived]);
    spec.given([company, archived]).when({ type: 'ArchiveCustomer', data: archived.data as never }).thenNothingHappened();
    spec.given([company]).when({ type: 'ReactivateCustomer', data: { customerId: id } }).thenNothingHappened();
    const reactivated: CustomerDomainEvent = { type: 'CustomerReactivated', schemaVersion: 1, data: { customerId: id } };
    spec.given([company, archived]).when({ type: 'ReactivateCustomer', data: { customerId: id } }).then([reactivated]);
    spec.given([company, archived, reactivated]).when({ type: 'UpdateCustomerProfile', data: { customerId: id, region: 'West' } })
      .then([{ type: 'CustomerProfileUpdated', schemaVersion: 1, data: { customerId: id, changedFields: ['region'], region: 'West' } }]);
    spec.given([]).when({ type: 'ArchiveCustomer', data: archived.data as never }).thenThrows('customer-not-found');
    spec.given([]).when({ type: 'ReactivateCustomer', data: { customerId: id } }).thenThrows('customer-not-found');
  });
});

describe('customer decider: classification recorded by the day close', () => {
  const abc = { abcClass: 'A' as const, inputs: { trailingRevenue: 800, totalRevenue: 1000, coveredBefore: 0, reportingCurrency: 'CNY', policyVersion: 1 } };
  const lifecycle = { stage: 'new' as const, inputs: { invoices: 1, lastInvoiceOn: '2026-11-01', onTimeRatio: null, churnRiskOpen: false, relationshipEnded: false } };
  const classified: CustomerDomainEvent = { type: 'CustomerAbcClassChanged', schemaVersion: 1, data: { customerId: id, ...abc, previousClass: null, businessDate: '2026-11-30' } };

  it('records a first class and stage with their inputs', () =>
    spec.given([company]).when({ type: 'RecordClassification', data: { customerId: id, businessDate: '2026-11-30', abc, lifecycle } }).then([classified,
      { type: 'CustomerLifecycleStageChanged', schemaVersion: 1, data: { customerId: id, ...lifecycle, previousStage: null, businessDate: '2026-11-30' } }]));

  it('records only what changed, naming the previous class', () => {
    spec.given([company, classified]).when({ type: 'RecordClassification', data: { customerId: id, businessDate: '2026-12-01', abc } }).thenNothingHappened();
    spec.given([company, classified]).when({ type: 'RecordClassification', data: { customerId: id, businessDate: '2026-12-01', abc: { ...abc, abcClass: 'B' } } })
      .then([{ type: 'CustomerAbcClassChanged', schemaVersion: 1, data: { customerId: id, ...abc, abcClass: 'B', previousClass: 'A', businessDate: '2026-12-01' } }]);
  });

  it('classifies archived customers too, but not unknown ones', () => {
    spec.given([company, archived]).when({ type: 'RecordClassification', data: { customerId: id, businessDate: '2026-11-30', abc } }).then([classified]);
    spec.given([]).when({ type: 'RecordClassification', data: { customerId: id, businessDate: '2026-11-30', abc } }).thenThrows('customer-not-found');
  });
});

describe('customer decider: care dates announced by the day close', () => {
  const consented: CustomerDomainEvent = { type: 'CustomerConsentChanged', schemaVersion: 1, data: { customerId: id, consent, changedChannels: ['email', 'wechat'], ...by } };
  const announce = { type: 'AnnounceCareDates' as const, data: { customerId: id, on: '2026-11-30', contactIds: [contactId, contactId, 'gone'] } };

  it('announces each contact still on record once, with the consented channels and no personal value', () =>
    spec.given([company, contactAdded, consented]).when(announce)
      .then([{ type: 'ContactCareDateDue', schemaVersion: 1, data: { customerId: id, contactId, occasion: 'birthday', on: '2026-11-30', channels: ['email', 'wechat'] } }]));

  it('announces with no channels without consent, and nothing for an archived or erased customer', () => {
    spec.given([company, contactAdded]).when(announce).then((events) => expect(events[0].data).toMatchObject({ channels: [] }));
    spec.given([company, contactAdded, archived]).when(announce).thenNothingHappened();
    spec.given([company, contactAdded, erased]).when(announce).thenNothingHappened();
    spec.given([]).when(announce).thenThrows('customer-not-found');
  });
});
