export * from './churn-facts';
export * from './churn-signals';
export * from './churn-policy';
export * from './churn-risk.decider';
export * from './churn-risk.read-model';
export * from './churn-risk.versions';
