export * from './care-holidays';
export * from './care-calendar.decider';
export * from './care.read-model';
