import { Decider } from '@crm/contracts';
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

/** A new invoice takes the customer's credit balance when the policy says so (with the older open invoices, oldest due first). */
function issueWithCredit(command: IssueInvoice, state: AccountState): AccountEvent[] {
  const events = issueInvoice(command, state);
  const issued = events.find((e) => e.type === 'InvoiceIssued');
  if (!issued || issued.type !== 'InvoiceIssued') return events;
  const d = issued.data;
  const target = { invoiceId: d.invoiceId, number: d.number, owed: d.total, dueDate: d.installments[0].dueDate };
  return [...events, ...autoAppliedCredit({ ...state, customerId: d.customerId }, d.currency, d.issueDate, `invoice ${d.number}`, [target])];
}

/** One customer's receivables: invoices, payments and their allocation, collection. */
export const accountDecider: Decider<AccountState, AccountCommand, AccountEvent> = {
  initialState: initialAccount,
  evolve: evolveAccount,
  decide(command, state) {
    switch (command.type) {
      case 'IssueInvoice': return issueWithCredit(command, state);
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
  },
};
