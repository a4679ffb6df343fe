import { Decider } from '@crm/contracts';
import { inClosedPeriod } from '../periods/period-gate';
import { AccountEvent } from './account.events';
import { AccountState, evolveAccount, initialAccount } from './account.state';
import { CloseDay, closeDay } from './close-day';
import {
  decideWriteOff, DecideWriteOff, IssueCreditNote, issueCreditNote, OpenDispute, openDispute, RecordPromiseToPay,
  recordPromiseToPay, RequestWriteOff, requestWriteOff, ResolveDispute, resolveDispute,
} from './invoice-adjustments';
import { autoAppliedCredit, RefundCreditBalance, refundCreditBalance, SetReceivablesPolicy, setReceivablesPolicy } from './credit-balance';
import { IssueInvoice, issueInvoice } from './issue-invoice';
import { AllocatePayment, allocatePayment, ReceivePayment, receivePayment, ReversePayment, reversePayment } from './receive-payment';

export type AccountCommand =
  | IssueInvoice | ReceivePayment | ReversePayment | AllocatePayment | IssueCreditNote | OpenDispute | ResolveDispute
  | RecordPromiseToPay | RequestWriteOff | DecideWriteOff | CloseDay | RefundCreditBalance | SetReceivablesPolicy;

/**
 * When the customer's policy says `autoApplyCredit`, whatever a command changes on the credit
 * side is followed by the credit balance applied to the open invoices, oldest due first: a new
 * invoice, money left unapplied by a payment, a credit note above an invoice's outstanding, a
 * reversal reopening invoices, a dispute resolved (the invoice may take credit again). Decided on
 * the state after the command's own events (a copy: the state given is never changed), dated
 * and named after what caused it, in the currency it touched.
 */
function withCreditApplied(command: AccountCommand, state: AccountState, events: AccountEvent[]): AccountEvent[] {
  if (!state.policy.autoApplyCredit || events.length === 0) return events;
  const cause = creditCause(events[0], state);
  // Never dated in a closed period (a late entry's too): the balance waits for the next change in an open one.
  if (!cause || inClosedPeriod(cause.on, 'periods' in command ? command.periods : undefined)) return events;
  const after = events.reduce(evolveAccount, structuredClone(state));
  return [...events, ...autoAppliedCredit(after, cause.currency, cause.on, cause.trigger)];
}

/** What a command's first event changed on the credit side: its currency, date, and how the application names it. */
function creditCause(first: AccountEvent, state: AccountState): { currency: string; on: string; trigger: string } | null {
  switch (first.type) {
    case 'InvoiceIssued': return { currency: first.data.currency, on: first.data.issueDate, trigger: `invoice ${first.data.number}` };
    case 'PaymentReceived': return first.data.unapplied > 0 ? { currency: first.data.currency, on: first.data.receivedOn, trigger: `payment ${first.data.paymentId}` } : null;
    case 'CreditNoteIssued': return { currency: first.data.currency, on: first.data.issuedOn, trigger: `credit note ${first.data.creditNoteId}` };
    case 'PaymentReversed': return { currency: first.data.currency, on: first.data.reversedOn, trigger: `reversal of payment ${first.data.paymentId}` };
    case 'InvoiceDisputeResolved': {
      const invoice = state.invoices[first.data.invoiceId];
      return { currency: invoice.currency, on: first.data.resolvedOn, trigger: `dispute on ${invoice.number} resolved` };
    }
    // A policy switched on applies the balance itself (`setReceivablesPolicy`); other events move no credit.
    default: return null;
  }
}

/** One customer's receivables: invoices, payments and their allocation, collection. */
export const accountDecider: Decider<AccountState, AccountCommand, AccountEvent> = {
  initialState: initialAccount,
  evolve: evolveAccount,
  decide(command, state) {
    return withCreditApplied(command, state, decideOnly(command, state));
  },
};

/** The command's own events, before any credit balance follows them. */
function decideOnly(command: AccountCommand, state: AccountState): AccountEvent[] {
  switch (command.type) {
    case 'IssueInvoice': return issueInvoice(command, state);
    case 'ReceivePayment': return receivePayment(command, state);
    case 'ReversePayment': return reversePayment(command, state);
    case 'AllocatePayment': return allocatePayment(command, state);
    case 'RefundCreditBalance': return refundCreditBalance(command, state);
    case 'SetReceivablesPolicy': return setReceivablesPolicy(command, state);
    case 'IssueCreditNote': return issueCreditNote(command, state);
    case 'OpenDispute': return openDispute(command, state);
    case 'ResolveDispute': return resolveDispute(command, state);
    case 'RecordPromiseToPay': return recordPromiseToPay(command, state);
    case 'RequestWriteOff': return requestWriteOff(command, state);
    case 'ApproveWriteOff':
    case 'RejectWriteOff': return decideWriteOff(command, state);
    case 'CloseDay': return closeDay(command, state);
    default: {
      const unhandled: never = command;
      throw new Error(`unknown command ${(unhandled as { type: string }).type}`);
    }
  }
}
