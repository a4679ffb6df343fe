import {
  ContactV1, CustomerKind, CustomerPersonalDataErasedV1, CustomerRegisteredV1, CustomersEventMap, Decider, domainError, TypedEvent,
} from '@crm/contracts';

export interface RegisterCustomer {
  type: 'RegisterCustomer';
  data: Omit<CustomerRegisteredV1, 'tags'> & { tags?: string[] };
}

export interface EraseCustomerPersonalData {
  type: 'EraseCustomerPersonalData';
  data: CustomerPersonalDataErasedV1;
}

export type CustomerCommand = RegisterCustomer | EraseCustomerPersonalData;

export type CustomerDomainEvent = TypedEvent<CustomersEventMap>;

export type CustomerState =
  | { status: 'unknown' }
  | { status: 'registered'; customerId: string; kind: CustomerKind; legalName: string; personalDataErased: boolean };

const alreadyRegistered = (customerId: string) =>
  domainError('customer-already-registered', 'conflict', `customer ${customerId} is already registered`);

export const customerNotFound = (customerId: string) =>
  domainError('customer-not-found', 'not-found', `customer ${customerId} not found`);

function normalisedContact(contact: ContactV1): ContactV1 {
  // An email address is matched case-insensitively everywhere it is used.
  return typeof contact.email === 'string' ? { ...contact, email: contact.email.trim().toLowerCase() } : contact;
}

function registerCustomer(command: RegisterCustomer, state: CustomerState): CustomerDomainEvent[] {
  if (state.status !== 'unknown') throw alreadyRegistered(command.data.customerId);
  const { tags, contacts, ...rest } = command.data;
  // Tags are a set: the same tag twice, or in another case, is one tag.
  const uniqueTags = [...new Set((tags ?? []).map((t) => t.trim().toLowerCase()).filter(Boolean))].sort();
  const data: CustomerRegisteredV1 = { ...rest, tags: uniqueTags, ...(contacts?.length ? { contacts: contacts.map(normalisedContact) } : {}) };
  return [{ type: 'CustomerRegistered', schemaVersion: 1, data }];
}

/** Erasing twice records one erasure: the second request has nothing left to destroy. */
function erasePersonalData(command: EraseCustomerPersonalData, state: CustomerState): CustomerDomainEvent[] {
  if (state.status === 'unknown') throw customerNotFound(command.data.customerId);
  if (state.personalDataErased) return [];
  return [{ type: 'CustomerPersonalDataErased', schemaVersion: 1, data: command.data }];
}

export const customerDecider: Decider<CustomerState, CustomerCommand, CustomerDomainEvent> = {
  initialState: () => ({ status: 'unknown' }),
  decide(command, state) {
    switch (command.type) {
      case 'RegisterCustomer':
        return registerCustomer(command, state);
      case 'EraseCustomerPersonalData':
        return erasePersonalData(command, state);
      default: {
        // The type only: a command can carry personal data, which must not reach a log.
        const unhandled: never = command;
        throw new Error(`unknown command ${(unhandled as { type: string }).type}`);
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'CustomerRegistered':
        return { status: 'registered', customerId: event.data.customerId, kind: event.data.kind, legalName: event.data.legalName, personalDataErased: false };
      case 'CustomerPersonalDataErased':
        return state.status === 'registered' ? { ...state, personalDataErased: true } : state;
      default:
        return state;
    }
  },
};
