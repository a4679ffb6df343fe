import { EventContract } from '../json-schema';

export const CUSTOMER_KINDS = ['company', 'person'] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];

export interface CustomerRegisteredV1 {
  customerId: string;
  kind: CustomerKind;
  legalName: string;
  industry?: string;
  region?: string;
  taxId?: string;
  accountManager?: string;
  tags: string[];
}

export const CustomerRegisteredV1Contract: EventContract = {
  type: 'CustomerRegistered',
  version: 1,
  schema: {
    type: 'object',
    required: ['customerId', 'kind', 'legalName', 'tags'],
    properties: {
      customerId: { type: 'string', format: 'uuid' },
      kind: { type: 'string', enum: [...CUSTOMER_KINDS] },
      legalName: { type: 'string' },
      industry: { type: 'string' },
      region: { type: 'string' },
      taxId: { type: 'string' },
      accountManager: { type: 'string' },
      tags: { type: 'array', items: { type: 'string' } },
    },
  },
};

export type CustomerEvent = { type: 'CustomerRegistered'; data: CustomerRegisteredV1 };

export const customerContracts: EventContract[] = [CustomerRegisteredV1Contract];
