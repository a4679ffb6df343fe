import { refuse } from '../receivables-errors';
import { lateEntryFor, PeriodContext } from '../periods/period-gate';
import { event } from './account.events';
import { AccountState, InvoiceState, outstanding } from './account.state';

function invoiceOf(state: AccountState, invoiceId: string): InvoiceState {
  const invoice = state.invoices[invoiceId];
  if (!invoice) throw refuse('invoice-not-found', 'not-found', `invoice ${invoiceId} not found`);
  return invoice;
}

export interface IssueCreditNote {
  type: 'IssueCreditNote';
  data: { creditNoteId: string; invoiceId: string; amount: number; reason: string; issuedOn: string; lateEntryReason?: string };
  /** Read in the append's transaction: is the credit note's period closed. */
  periods?: PeriodContext;
}
export function issueCreditNote({ data, periods }: IssueCreditNote, state: AccountState) {
  const invoice = invoiceOf(state, data.invoiceId);
  const lateEntry = lateEntryFor(data.issuedOn, 'issuedOn', periods, data.lateEntryReason);
  // What the invoice asked for and was not yet credited, discounted or written off: paid money
  // can be credited back (the part above the outstanding becomes credit balance), more cannot.
  const creditable = invoice.total - invoice.discounted - invoice.credited - invoice.creditedToBalance - invoice.writtenOff;
  if (data.amount > creditable) {
    throw refuse('credit-note-exceeds-invoice', 'refused', `invoice ${invoice.number} can be credited ${creditable} more, less than ${data.amount}`, 'amount',
      { creditable, outstanding: outstanding(invoice) });
  }
  const toCreditBalance = Math.max(0, data.amount - outstanding(invoice));
  const { lateEntryReason: _reason, ...note } = data;
  return [event('CreditNoteIssued', { ...note, customerId: state.customerId!, currency: invoice.currency, ...(lateEntry ? { lateEntry } : {}),
    ...(toCreditBalance > 0 ? { toCreditBalance } : {}) })];
}

export interface OpenDispute { type: 'OpenDispute'; data: { invoiceId: string; reason: string; openedOn: string } }
export function openDispute({ data }: OpenDispute, state: AccountState) {
  const invoice = invoiceOf(state, data.invoiceId);
  if (invoice.dispute) throw refuse('already-disputed', 'conflict', `invoice ${invoice.number} is already disputed`);
  return [event('InvoiceDisputed', { ...data, customerId: state.customerId! })];
}

export interface ResolveDispute {
  type: 'ResolveDispute';
  data: { invoiceId: string; resolution: string; resolvedOn: string };
  /** Read in the append's transaction: is the resolution date's period closed (the credit it may free is not applied in it). */
  periods?: PeriodContext;
}
export function resolveDispute({ data }: ResolveDispute, state: AccountState) {
  const invoice = invoiceOf(state, data.invoiceId);
  if (!invoice.dispute) throw refuse('not-disputed', 'conflict', `invoice ${invoice.number} has no open dispute`);
  return [event('InvoiceDisputeResolved', { ...data, customerId: state.customerId! })];
}

export interface RecordPromiseToPay { type: 'RecordPromiseToPay'; data: { invoiceId: string; promisedDate: string; amount: number; recordedOn: string } }
export function recordPromiseToPay({ data }: RecordPromiseToPay, state: AccountState) {
  const invoice = invoiceOf(state, data.invoiceId);
  if (outstanding(invoice) === 0) throw refuse('nothing-outstanding', 'conflict', `invoice ${invoice.number} has nothing outstanding`);
  if (data.amount > outstanding(invoice)) throw refuse('promise-exceeds-outstanding', 'refused', `invoice ${invoice.number} has ${outstanding(invoice)} outstanding`, 'amount');
  if (data.promisedDate < data.recordedOn) throw refuse('promised-date-in-past', 'invalid', `promised date ${data.promisedDate} is before today ${data.recordedOn}`, 'promisedDate');
  return [event('PromiseToPayRecorded', { ...data, customerId: state.customerId! })];
}

export interface RequestWriteOff { type: 'RequestWriteOff'; data: { requestId: string; invoiceId: string; reason: string; requestedBy: string; requestedOn: string } }
export function requestWriteOff({ data }: RequestWriteOff, state: AccountState) {
  const invoice = invoiceOf(state, data.invoiceId);
  if (outstanding(invoice) === 0) throw refuse('nothing-outstanding', 'conflict', `invoice ${invoice.number} has nothing outstanding to write off`);
  if (invoice.writeOffRequest) throw refuse('write-off-pending', 'conflict', `invoice ${invoice.number} already has a pending write-off request`);
  return [event('WriteOffRequested', { ...data, customerId: state.customerId!, amount: outstanding(invoice) })];
}

export interface DecideWriteOff { type: 'ApproveWriteOff' | 'RejectWriteOff'; data: { requestId: string; decidedBy: string; decidedOn: string; reason?: string } }
export function decideWriteOff({ type, data }: DecideWriteOff, state: AccountState) {
  const invoiceId = state.writeOffRequests[data.requestId];
  const request = invoiceId ? state.invoices[invoiceId].writeOffRequest : null;
  if (!invoiceId) throw refuse('write-off-request-not-found', 'not-found', `write-off request ${data.requestId} not found`);
  if (!request || request.requestId !== data.requestId) throw refuse('write-off-not-pending', 'conflict', `write-off request ${data.requestId} is already decided`);
  // Separation of duties: whoever asked cannot approve (or reject) their own request.
  if (request.requestedBy === data.decidedBy) throw refuse('write-off-self-approval', 'forbidden', 'the requester of a write-off cannot decide it');
  const invoice = state.invoices[invoiceId];
  if (type === 'ApproveWriteOff' && outstanding(invoice) === 0) throw refuse('nothing-outstanding', 'conflict', `invoice ${invoice.number} was settled meanwhile`);
  const base = { requestId: data.requestId, invoiceId, customerId: state.customerId! };
  return type === 'ApproveWriteOff'
    ? [event('WriteOffApproved', { ...base, currency: invoice.currency, amount: outstanding(invoice), approvedBy: data.decidedBy, approvedOn: data.decidedOn })]
    : [event('WriteOffRejected', { ...base, rejectedBy: data.decidedBy, reason: data.reason ?? '', rejectedOn: data.decidedOn })];
}
