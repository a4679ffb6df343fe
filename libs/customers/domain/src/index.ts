export * from './customer/customer.decider';
export * from './directory/customer-directory.evolve';
export * from './classification/classification';
export * from './classification/customer-revenue.evolve';
export * from './classification/classification-policy.decider';
export * from './overview/customer-overview';
export * from './classification/churn-risk.evolve';
export * from './timeline/customer-timeline';
