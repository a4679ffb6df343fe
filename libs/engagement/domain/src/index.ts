export * from './customer-directory/customer-directory.evolve';
