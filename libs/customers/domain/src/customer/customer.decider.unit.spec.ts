import { deciderSpec } from '@crm/testing';
import { customerDecider, CustomerDomainEvent } from './customer.decider';

const spec = deciderSpec(customerDecider);
const registered: CustomerDomainEvent = {
  type: 'CustomerRegistered', schemaVersion: 1,
  data: { customerId: 'c-1', kind: 'company', legalName: 'Acme Ltd', tags: [] },
};

describe('customer decider', () => {
  it('registers a new customer with its tags as a sorted set', () =>
    spec.given([]).when({ type: 'RegisterCustomer', data: { customerId: 'c-1', kind: 'company', legalName: 'Acme Ltd', tags: ['VIP', 'export', 'vip '] } })
      .then([{ ...registered, data: { ...registered.data, tags: ['export', 'vip'] } }]));

  it('refuses to register the same customer twice', () =>
    spec.given([registered]).when({ type: 'RegisterCustomer', data: { customerId: 'c-1', kind: 'person', legalName: 'Other' } })
      .thenThrows('customer-already-registered'));

  it('keeps contacts, with emails in lower case', () =>
    spec.given([]).when({ type: 'RegisterCustomer', data: { customerId: 'c-1', kind: 'company', legalName: 'Acme Ltd',
      contacts: [{ name: 'Li Wei', role: 'CFO', email: ' Li.Wei@Example.CN ' }, { name: 'Wang Fang', phone: '13800138000' }] } })
      .then([{ ...registered, data: { ...registered.data, contacts: [{ name: 'Li Wei', role: 'CFO', email: 'li.wei@example.cn' }, { name: 'Wang Fang', phone: '13800138000' }] } }]));

  const erased: CustomerDomainEvent = { type: 'CustomerPersonalDataErased', schemaVersion: 1, data: { customerId: 'c-1', reason: 'data-subject request' } };

  it('records an erasure once; a second request has nothing left to erase', () => {
    spec.given([registered]).when({ type: 'EraseCustomerPersonalData', data: erased.data }).then([erased]);
    spec.given([registered, erased]).when({ type: 'EraseCustomerPersonalData', data: erased.data }).thenNothingHappened();
  });

  it('cannot erase a customer that was never registered', () =>
    spec.given([]).when({ type: 'EraseCustomerPersonalData', data: erased.data }).thenThrows('customer-not-found'));
});
