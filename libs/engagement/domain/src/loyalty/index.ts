export * from './loyalty-policy';
export * from './loyalty-tiers';
export * from './loyalty-account.events';
export * from './loyalty-account.state';
export * from './loyalty-account.decider';
export * from './loyalty-invoices';
export * from './loyalty-view';
export * from './loyalty-tiers.read-model';
