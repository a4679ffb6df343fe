import { EventContract } from '../json-schema';
import { currency, int, obj, str, uuid } from '../schema-builders';

/**
 * The credit team's published contract, defined ahead of the credit service so receivables
 * can keep its own copy of credit decisions (and keep deciding while credit is down).
 */
export interface CreditLimitApprovedV1 {
  customerId: string;
  limit: number;
  currency: string;
  approvedBy: string;
  approvedOn: string;
}
export interface CreditHoldPlacedV1 {
  customerId: string;
  reason: string;
  placedOn: string;
}
export interface CreditHoldReleasedV1 {
  customerId: string;
  reason: string;
  releasedOn: string;
}

export const creditContracts: EventContract[] = [
  { type: 'CreditLimitApproved', version: 1, schema: obj({ customerId: uuid(), limit: int(), currency: currency(), approvedBy: str(), approvedOn: str() }) },
  { type: 'CreditHoldPlaced', version: 1, schema: obj({ customerId: uuid(), reason: str(), placedOn: str() }) },
  { type: 'CreditHoldReleased', version: 1, schema: obj({ customerId: uuid(), reason: str(), releasedOn: str() }) },
];
