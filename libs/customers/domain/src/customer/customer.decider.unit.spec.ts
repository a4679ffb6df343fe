import { deciderSpec } from '@crm/testing';
import { CustomerAlreadyRegistered, customerDecider, CustomerDomainEvent } from './customer.decider';

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
      .thenThrows(CustomerAlreadyRegistered));
});
