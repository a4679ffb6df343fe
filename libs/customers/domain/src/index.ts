export * from './customer/customer.decider';
