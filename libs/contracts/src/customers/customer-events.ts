import { EventContract } from '../json-schema';
import { arr, obj, personal, str, uuid } from '../schema-builders';

export const CUSTOMER_KINDS = ['company', 'person'] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];

/** A person to talk to at the customer. Every field but `role` is personal data, sealed in events. */
export interface ContactV1 {
  name: string;
  role?: string;
  phone?: string;
  email?: string;
  /** YYYY-MM-DD, for care greetings. */
  birthday?: string;
}

export interface CustomerRegisteredV1 {
  customerId: string;
  kind: CustomerKind;
  legalName: string;
  industry?: string;
  region?: string;
  taxId?: string;
  accountManager?: string;
  tags: string[];
  contacts?: ContactV1[];
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
      contacts: arr(obj({
        name: personal('the contact person\'s name'),
        'role?': str(),
        'phone?': personal('phone number'),
        'email?': personal('email address'),
        'birthday?': personal('birthday, YYYY-MM-DD once unsealed'),
      })),
    },
  },
};

/** The customer's key was destroyed: its personal data in every event is unreadable from now on. */
export interface CustomerPersonalDataErasedV1 {
  customerId: string;
  /** Reference of the erasure request (e.g. DSR-2026-4711); published in clear and never erased, so never a name. */
  reason: string;
}

export const CustomerPersonalDataErasedV1Contract: EventContract = {
  type: 'CustomerPersonalDataErased',
  version: 1,
  schema: obj({ customerId: uuid(), reason: str() }),
};

export type CustomerEvent =
  | { type: 'CustomerRegistered'; data: CustomerRegisteredV1 }
  | { type: 'CustomerPersonalDataErased'; data: CustomerPersonalDataErasedV1 };

export const customerContracts: EventContract[] = [CustomerRegisteredV1Contract, CustomerPersonalDataErasedV1Contract];
