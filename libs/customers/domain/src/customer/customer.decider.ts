import {
  AccountManagerAssignedV1, CONSENT_CHANNELS, CustomerAbcClassChangedV1, CustomerLifecycleStageChangedV1, Consent, ConsentChannel, CONTACT_FIELDS, ContactAddedV1, ContactField, ContactV1,
  CustomerArchivedV1, CustomerKind, CustomerValueScoredV1, CustomerPersonalDataErasedV1, CustomerRegisteredV1, CustomersEventMap, Decider, domainError,
  PROFILE_FIELDS, ProfileField, TypedEvent,
} from '@crm/contracts';

export interface RegisterCustomer {
  type: 'RegisterCustomer';
  data: Omit<CustomerRegisteredV1, 'tags'> & { tags?: string[] };
}

export interface EraseCustomerPersonalData {
  type: 'EraseCustomerPersonalData';
  data: CustomerPersonalDataErasedV1;
}

/** A JSON merge patch of the profile: absent = unchanged, null = cleared (legalName and tags cannot be null). */
export interface UpdateCustomerProfile {
  type: 'UpdateCustomerProfile';
  data: { customerId: string; legalName?: string; industry?: string | null; region?: string | null; taxId?: string | null; tags?: string[] | null };
}

export interface AddContact {
  type: 'AddContact';
  data: ContactAddedV1;
}

export interface UpdateContact {
  type: 'UpdateContact';
  data: { customerId: string; contactId: string; name?: string; role?: string | null; phone?: string | null; email?: string | null; birthday?: string | null };
}

export interface RemoveContact {
  type: 'RemoveContact';
  data: { customerId: string; contactId: string };
}

/** Who and when come from the edge (actor, server clock), as command data: the decider reads no clock. */
export interface SetConsent {
  type: 'SetConsent';
  data: { customerId: string; consent: Consent; source: string; changedBy: string; changedAt: string };
}

export interface AssignAccountManager {
  type: 'AssignAccountManager';
  data: { customerId: string; accountManager: string };
}

export interface ArchiveCustomer {
  type: 'ArchiveCustomer';
  data: CustomerArchivedV1;
}

export interface ReactivateCustomer {
  type: 'ReactivateCustomer';
  data: { customerId: string };
}

/** A day close's classification of the customer: only what changed is recorded. */
export interface RecordClassification {
  type: 'RecordClassification';
  data: {
    customerId: string;
    businessDate: string;
    abc?: Omit<CustomerAbcClassChangedV1, 'customerId' | 'previousClass' | 'businessDate'>;
    lifecycle?: Omit<CustomerLifecycleStageChangedV1, 'customerId' | 'previousStage' | 'businessDate'>;
    value?: Omit<CustomerValueScoredV1, 'customerId' | 'previous' | 'businessDate'>;
  };
}

/** The day close: the contacts whose care date (birthday) is `on`, found by its blind index. */
export interface AnnounceCareDates {
  type: 'AnnounceCareDates';
  data: { customerId: string; on: string; contactIds: string[] };
}

export type CustomerCommand =
  | AnnounceCareDates
  | RecordClassification
  | RegisterCustomer | EraseCustomerPersonalData | UpdateCustomerProfile | AddContact | UpdateContact | RemoveContact
  | SetConsent | AssignAccountManager | ArchiveCustomer | ReactivateCustomer;

export type CustomerDomainEvent = TypedEvent<CustomersEventMap>;

/** A contact as recorded: personal fields hold what the events hold (sealed on the write side). */
export interface ContactState extends ContactV1 {
  contactId: string;
}

export interface RegisteredCustomer {
  status: 'registered';
  customerId: string;
  kind: CustomerKind;
  legalName: string;
  industry?: string;
  region?: string;
  taxId?: string;
  accountManager?: string;
  tags: string[];
  contacts: ContactState[];
  consent: Consent & { source?: string; changedBy?: string; changedAt?: string };
  archived: boolean;
  archiveReason?: string;
  personalDataErased: boolean;
  abcClass: CustomerAbcClassChangedV1['abcClass'] | null;
  stage: CustomerLifecycleStageChangedV1['stage'] | null;
  rfm: CustomerValueScoredV1['rfm'] | null;
  clv: CustomerValueScoredV1['clv'] | null;
  /** The business date of the last day close that recorded a classification change. */
  classifiedOn: string | null;
}

export type CustomerState = { status: 'unknown' } | RegisteredCustomer;

const alreadyRegistered = (customerId: string) =>
  domainError('customer-already-registered', 'conflict', `customer ${customerId} is already registered`);

export const customerNotFound = (customerId: string) =>
  domainError('customer-not-found', 'not-found', `customer ${customerId} not found`);

export const contactNotFound = (contactId: string) =>
  domainError('contact-not-found', 'not-found', `contact ${contactId} not found`, 'contactId');

const customerArchived = (customerId: string) =>
  domainError('customer-archived', 'conflict', `customer ${customerId} is archived; reactivate it first`);

const personalDataErased = (customerId: string, field: string) =>
  domainError('personal-data-erased', 'conflict', `the personal data of customer ${customerId} was erased; no new personal data can be recorded for it`, field);

/**
 * Contacts recorded with the registration carry no id in CustomerRegistered v1: theirs is
 * derived from the customer id and their position, the same on every fold.
 */
export function registeredContactId(customerId: string, index: number): string {
  return `${customerId.slice(0, 24)}${(index + 1).toString(16).padStart(12, '0')}`;
}

/** The key a tax id is unique by: case, spaces, dots and dashes do not make another tax id. */
export function taxIdKey(taxId: string): string {
  return taxId.replace(/[\s.-]/g, '').toUpperCase();
}

const normalisedEmail = (email: string) => email.trim().toLowerCase();

function normalisedContact<T extends { email?: string | null }>(contact: T): T {
  // An email address is matched case-insensitively everywhere it is used.
  return typeof contact.email === 'string' ? { ...contact, email: normalisedEmail(contact.email) } : contact;
}

/** Tags are a set: the same tag twice, or in another case, is one tag. */
const tagSet = (tags: string[]) => [...new Set(tags.map((t) => t.trim().toLowerCase()).filter(Boolean))].sort();

function registered(state: CustomerState, customerId: string): RegisteredCustomer {
  if (state.status === 'unknown') throw customerNotFound(customerId);
  return state;
}

function active(state: CustomerState, customerId: string): RegisteredCustomer {
  const customer = registered(state, customerId);
  if (customer.archived) throw customerArchived(customerId);
  return customer;
}

function registerCustomer(command: RegisterCustomer, state: CustomerState): CustomerDomainEvent[] {
  if (state.status !== 'unknown') throw alreadyRegistered(command.data.customerId);
  const { tags, contacts, ...rest } = command.data;
  const data: CustomerRegisteredV1 = { ...rest, tags: tagSet(tags ?? []), ...(contacts?.length ? { contacts: contacts.map(normalisedContact) } : {}) };
  return [{ type: 'CustomerRegistered', schemaVersion: 1, data }];
}

/** Erasing twice records one erasure: the second request has nothing left to destroy. */
function erasePersonalData(command: EraseCustomerPersonalData, state: CustomerState): CustomerDomainEvent[] {
  const customer = registered(state, command.data.customerId);
  if (customer.personalDataErased) return [];
  return [{ type: 'CustomerPersonalDataErased', schemaVersion: 1, data: command.data }];
}

function updateProfile(command: UpdateCustomerProfile, state: CustomerState): CustomerDomainEvent[] {
  const { customerId } = command.data;
  const customer = active(state, customerId);
  const patch = command.data;
  const changes: Record<string, unknown> = {};
  const changedFields: ProfileField[] = [];
  for (const field of PROFILE_FIELDS) {
    const value = patch[field];
    if (value === undefined) continue;
    if (value === null && field === 'legalName') throw domainError('invalid-legal-name', 'invalid', 'legalName cannot be removed', 'legalName');
    if (field === 'legalName' && customer.kind === 'person' && customer.personalDataErased) throw personalDataErased(customerId, 'legalName');
    if (field === 'tags') {
      const tags = tagSet((value as string[] | null) ?? []);
      if (tags.join('\u0000') !== customer.tags.join('\u0000')) { changes.tags = tags; changedFields.push('tags'); }
      continue;
    }
    const next = typeof value === 'string' ? value.trim() : null;
    const current = customer[field] ?? null;
    // A sealed value cannot be compared with its plaintext: a person's legal name always counts as changed.
    if (next === current && !(field === 'legalName' && customer.kind === 'person')) continue;
    if (field === 'taxId' && next !== null && current !== null && taxIdKey(next) === taxIdKey(current)) continue;
    changes[field] = next;
    changedFields.push(field);
  }
  if (changedFields.length === 0) return [];
  return [{ type: 'CustomerProfileUpdated', schemaVersion: 1, data: { customerId, changedFields, ...changes } }];
}

function addContact(command: AddContact, state: CustomerState): CustomerDomainEvent[] {
  const customer = active(state, command.data.customerId);
  if (customer.personalDataErased) throw personalDataErased(customer.customerId, 'name');
  if (customer.contacts.some((c) => c.contactId === command.data.contactId)) return [];
  const { customerId, contactId, ...contact } = command.data;
  return [{ type: 'ContactAdded', schemaVersion: 1, data: { customerId, contactId, ...normalisedContact(contact) } }];
}

function updateContact(command: UpdateContact, state: CustomerState): CustomerDomainEvent[] {
  const { customerId, contactId } = command.data;
  const customer = active(state, customerId);
  if (!customer.contacts.some((c) => c.contactId === contactId)) throw contactNotFound(contactId);
  if (customer.personalDataErased) throw personalDataErased(customerId, 'name');
  const patch = normalisedContact(command.data);
  const changedFields: ContactField[] = CONTACT_FIELDS.filter((f) => patch[f] !== undefined);
  if (patch.name === null) throw domainError('invalid-contact-name', 'invalid', 'name cannot be removed', 'name');
  if (changedFields.length === 0) return [];
  // Sealed values cannot be compared with plaintext: every field sent is recorded as changed.
  const changes = Object.fromEntries(changedFields.map((f) => [f, patch[f]]));
  return [{ type: 'ContactUpdated', schemaVersion: 1, data: { customerId, contactId, changedFields, ...changes } }];
}

function removeContact(command: RemoveContact, state: CustomerState): CustomerDomainEvent[] {
  const { customerId, contactId } = command.data;
  const customer = active(state, customerId);
  if (!customer.contacts.some((c) => c.contactId === contactId)) throw contactNotFound(contactId);
  return [{ type: 'ContactRemoved', schemaVersion: 1, data: { customerId, contactId } }];
}

function setConsent(command: SetConsent, state: CustomerState): CustomerDomainEvent[] {
  const { customerId, consent, source, changedBy, changedAt } = command.data;
  const customer = active(state, customerId);
  const changedChannels: ConsentChannel[] = CONSENT_CHANNELS.filter((c) => customer.consent[c] !== consent[c]);
  if (changedChannels.length === 0) return [];
  const next = Object.fromEntries(CONSENT_CHANNELS.map((c) => [c, consent[c]])) as Consent;
  return [{ type: 'CustomerConsentChanged', schemaVersion: 1, data: { customerId, consent: next, changedChannels, source, changedBy, changedAt } }];
}

function assignAccountManager(command: AssignAccountManager, state: CustomerState): CustomerDomainEvent[] {
  const { customerId, accountManager } = command.data;
  const customer = active(state, customerId);
  if (customer.accountManager === accountManager) return [];
  const data: AccountManagerAssignedV1 = { customerId, accountManager, ...(customer.accountManager ? { previousAccountManager: customer.accountManager } : {}) };
  return [{ type: 'AccountManagerAssigned', schemaVersion: 1, data }];
}

function archive(command: ArchiveCustomer, state: CustomerState): CustomerDomainEvent[] {
  const customer = registered(state, command.data.customerId);
  if (customer.archived) return [];
  return [{ type: 'CustomerArchived', schemaVersion: 1, data: command.data }];
}

function reactivate(command: ReactivateCustomer, state: CustomerState): CustomerDomainEvent[] {
  const customer = registered(state, command.data.customerId);
  if (!customer.archived) return [];
  return [{ type: 'CustomerReactivated', schemaVersion: 1, data: command.data }];
}

const sameRfm = (a: RegisteredCustomer['rfm'], b: RegisteredCustomer['rfm']) => !!a && !!b && a.r === b.r && a.f === b.f && a.m === b.m;
const sameClv = (a: RegisteredCustomer['clv'], b: RegisteredCustomer['clv']) => !!a && !!b && a.amount === b.amount && a.currency === b.currency;

/** Archived customers are classified too: their revenue still counts in everyone's ranking. */
function recordClassification(command: RecordClassification, state: CustomerState): CustomerDomainEvent[] {
  const { customerId, businessDate, abc, lifecycle, value } = command.data;
  const customer = registered(state, customerId);
  const events: CustomerDomainEvent[] = [];
  if (abc && abc.abcClass !== customer.abcClass) {
    events.push({ type: 'CustomerAbcClassChanged', schemaVersion: 1, data: { customerId, ...abc, previousClass: customer.abcClass, businessDate } });
  }
  if (lifecycle && lifecycle.stage !== customer.stage) {
    events.push({ type: 'CustomerLifecycleStageChanged', schemaVersion: 1, data: { customerId, ...lifecycle, previousStage: customer.stage, businessDate } });
  }
  if (value && !(sameRfm(value.rfm, customer.rfm) && sameClv(value.clv, customer.clv))) {
    events.push({ type: 'CustomerValueScored', schemaVersion: 1, data: { customerId, businessDate, ...value, previous: { rfm: customer.rfm, clv: customer.clv } } });
  }
  return events;
}

/**
 * One ContactCareDateDue per contact still on record, with the channels the customer consented
 * to; none for an archived or erased customer (nobody to greet, or no right to).
 */
function announceCareDates(command: AnnounceCareDates, state: CustomerState): CustomerDomainEvent[] {
  const { customerId, on, contactIds } = command.data;
  const customer = registered(state, customerId);
  if (customer.archived || customer.personalDataErased) return [];
  const channels = CONSENT_CHANNELS.filter((c) => customer.consent[c]);
  return [...new Set(contactIds)].sort().filter((id) => customer.contacts.some((c) => c.contactId === id))
    .map((contactId) => ({ type: 'ContactCareDateDue', schemaVersion: 1, data: { customerId, contactId, occasion: 'birthday', on, channels: [...channels] } }));
}

const NO_CONSENT: Consent = { email: false, sms: false, phone: false, wechat: false };

function setOptional(target: Record<string, unknown>, field: string, value: unknown): void {
  if (value === null || value === undefined) delete target[field];
  else target[field] = value;
}

export const customerDecider: Decider<CustomerState, CustomerCommand, CustomerDomainEvent> = {
  initialState: () => ({ status: 'unknown' }),
  decide(command, state) {
    switch (command.type) {
      case 'RegisterCustomer': return registerCustomer(command, state);
      case 'RecordClassification': return recordClassification(command, state);
      case 'AnnounceCareDates': return announceCareDates(command, state);
      case 'EraseCustomerPersonalData': return erasePersonalData(command, state);
      case 'UpdateCustomerProfile': return updateProfile(command, state);
      case 'AddContact': return addContact(command, state);
      case 'UpdateContact': return updateContact(command, state);
      case 'RemoveContact': return removeContact(command, state);
      case 'SetConsent': return setConsent(command, state);
      case 'AssignAccountManager': return assignAccountManager(command, state);
      case 'ArchiveCustomer': return archive(command, state);
      case 'ReactivateCustomer': return reactivate(command, state);
      default: {
        // The type only: a command can carry personal data, which must not reach a log.
        const unhandled: never = command;
        throw new Error(`unknown command ${(unhandled as { type: string }).type}`);
      }
    }
  },
  /** Changes the state in place: one customer's state is never copied per event. */
  evolve(state, event) {
    if (event.type === 'CustomerRegistered') {
      const { customerId, kind, legalName, industry, region, taxId, accountManager, tags, contacts } = event.data;
      const customer: RegisteredCustomer = {
        status: 'registered', customerId, kind, legalName, tags: [...tags],
        contacts: (contacts ?? []).map(({ emailBlindIndex: _b, birthdayBlindIndex: _d, ...c }, i) => ({ contactId: registeredContactId(customerId, i), ...c })),
        consent: { ...NO_CONSENT }, archived: false, personalDataErased: false, abcClass: null, stage: null, rfm: null, clv: null, classifiedOn: null,
      };
      setOptional(customer as never, 'industry', industry);
      setOptional(customer as never, 'region', region);
      setOptional(customer as never, 'taxId', taxId);
      setOptional(customer as never, 'accountManager', accountManager);
      return customer;
    }
    if (state.status !== 'registered') return state;
    switch (event.type) {
      case 'CustomerPersonalDataErased':
        state.personalDataErased = true;
        return state;
      case 'CustomerProfileUpdated':
        for (const field of event.data.changedFields) setOptional(state as never, field, event.data[field]);
        if (!state.tags) state.tags = [];
        return state;
      case 'ContactAdded': {
        // The email's blind index is for read models' search, not part of the contact.
        const { customerId: _c, emailBlindIndex: _b, birthdayBlindIndex: _d, ...contact } = event.data;
        state.contacts.push(contact);
        return state;
      }
      case 'ContactUpdated': {
        const contact = state.contacts.find((c) => c.contactId === event.data.contactId);
        if (contact) for (const field of event.data.changedFields) setOptional(contact as never, field, event.data[field]);
        return state;
      }
      case 'ContactRemoved':
        state.contacts = state.contacts.filter((c) => c.contactId !== event.data.contactId);
        return state;
      case 'CustomerConsentChanged': {
        const { consent, source, changedBy, changedAt } = event.data;
        state.consent = { ...consent, source, changedBy, changedAt };
        return state;
      }
      case 'AccountManagerAssigned':
        state.accountManager = event.data.accountManager;
        return state;
      case 'CustomerArchived':
        state.archived = true;
        state.archiveReason = event.data.reason;
        return state;
      case 'CustomerReactivated':
        state.archived = false;
        delete state.archiveReason;
        return state;
      case 'CustomerAbcClassChanged':
        state.abcClass = event.data.abcClass;
        state.classifiedOn = event.data.businessDate;
        return state;
      case 'CustomerLifecycleStageChanged':
        state.stage = event.data.stage;
        state.classifiedOn = event.data.businessDate;
        return state;
      case 'CustomerValueScored':
        state.rfm = { ...event.data.rfm };
        state.clv = { ...event.data.clv };
        state.classifiedOn = event.data.businessDate;
        return state;
      default:
        return state;
    }
  },
};
