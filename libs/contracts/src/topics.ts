export type ServiceName = 'customers' | 'credit' | 'receivables' | 'engagement';

/** Each service publishes all of its events to exactly one topic. */
export function eventsTopic(service: ServiceName, prefix = ''): string {
  return `${prefix}crm.${service}.events`;
}

export function cloudEventSource(service: ServiceName): string {
  return `crm.${service}`;
}
