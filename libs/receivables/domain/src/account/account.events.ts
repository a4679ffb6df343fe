import { ReceivablesEventMap, TypedEvent } from '@crm/contracts';

/** Everything that happens to one customer's receivables, in one stream (atomic allocation and credit checks). */
export type AccountEvent = TypedEvent<Omit<ReceivablesEventMap, 'BusinessDayClosed' | 'AccountingPeriodClosed' | 'WorklistSegmentPolicyChanged'>>;

export function event<T extends AccountEvent['type']>(type: T, data: Extract<AccountEvent, { type: T }>['data']): AccountEvent {
  return { type, schemaVersion: 1, data } as AccountEvent;
}
