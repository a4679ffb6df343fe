export * from './calendar-dates';
export * from './contact-plan';
export * from './customer-engagement.events';
export * from './customer-engagement.state';
export * from './customer-engagement.decider';
export * from './follow-ups.read-model';
