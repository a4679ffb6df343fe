import { CREDIT_EVENT_VERSIONS, CreditEventMap, TypedEvent } from '@crm/contracts';

type AccountEventMap = Omit<CreditEventMap, 'CreditPolicyChanged' | 'CreditBusinessDayClosed'>;

/** Everything credit decides about one customer, in one stream (`credit-<customerId>`). */
export type CreditAccountEvent = TypedEvent<AccountEventMap>;

export function event<T extends CreditAccountEvent['type']>(type: T, data: Extract<CreditAccountEvent, { type: T }>['data']): CreditAccountEvent {
  return { type, schemaVersion: CREDIT_EVENT_VERSIONS[type] ?? 1, data } as CreditAccountEvent;
}
