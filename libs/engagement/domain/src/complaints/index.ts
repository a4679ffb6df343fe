export * from './business-time';
export * from './complaint-sla';
export * from './complaint.events';
export * from './complaint.state';
export * from './complaint.decider';
export * from './survey.decider';
export * from './complaints.read-model';
export * from './satisfaction.read-model';
