export type ServiceName = 'customers' | 'credit' | 'receivables' | 'engagement';

/** Each service publishes all of its events to exactly one topic. */
export function eventsTopic(service: ServiceName, prefix = ''): string {
  return `${prefix}crm.${service}.events`;
}

/**
 * Where a service's consumers copy the events they park, with the error in headers: for
 * operators' alerting and tooling. The `parked_events` table stays the record that replays.
 */
export function deadLetterTopic(service: ServiceName, prefix = ''): string {
  return `${prefix}crm.${service}.dead-letter`;
}

export function cloudEventSource(service: ServiceName): string {
  return `crm.${service}`;
}
