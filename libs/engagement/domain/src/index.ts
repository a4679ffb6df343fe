export * from './customer-directory/customer-directory.evolve';
export * from './loyalty';
export * from './complaints';
export * from './follow-ups';
export * from './care';
export * from './churn';
