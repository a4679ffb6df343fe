export * from './infra/test-infra';
export * from './decider-spec';
export * from './service-process';
export * from './tokens';
export * from './eventing';
export * from './infra/own-kafka-broker';
export * from './envelopes';
export * from './infra/topic-messages';
