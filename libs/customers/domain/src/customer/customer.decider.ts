import { CustomerKind, CustomerRegisteredV1, Decider } from '@crm/contracts';

export interface RegisterCustomer {
  type: 'RegisterCustomer';
  data: Omit<CustomerRegisteredV1, 'tags'> & { tags?: string[] };
}

export type CustomerCommand = RegisterCustomer;

export type CustomerDomainEvent = { type: 'CustomerRegistered'; schemaVersion: 1; data: CustomerRegisteredV1 };

export type CustomerState =
  | { status: 'unknown' }
  | { status: 'registered'; customerId: string; kind: CustomerKind; legalName: string };

export class CustomerAlreadyRegistered extends Error {
  readonly code = 'customer-already-registered';
  constructor(customerId: string) {
    super(`customer ${customerId} is already registered`);
  }
}

function registerCustomer(command: RegisterCustomer, state: CustomerState): CustomerDomainEvent[] {
  if (state.status !== 'unknown') throw new CustomerAlreadyRegistered(command.data.customerId);
  const { tags, ...rest } = command.data;
  // Tags are a set: the same tag twice, or in another case, is one tag.
  const uniqueTags = [...new Set((tags ?? []).map((t) => t.trim().toLowerCase()).filter(Boolean))].sort();
  return [{ type: 'CustomerRegistered', schemaVersion: 1, data: { ...rest, tags: uniqueTags } }];
}

export const customerDecider: Decider<CustomerState, CustomerCommand, CustomerDomainEvent> = {
  initialState: () => ({ status: 'unknown' }),
  decide(command, state) {
    switch (command.type) {
      case 'RegisterCustomer':
        return registerCustomer(command, state);
      default: {
        const unhandled: never = command.type;
        throw new Error(`unknown command ${unhandled}`);
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'CustomerRegistered':
        return { status: 'registered', customerId: event.data.customerId, kind: event.data.kind, legalName: event.data.legalName };
      default:
        return state;
    }
  },
};
