import { Decider } from '@crm/contracts';
import { AccountEvent } from './account.events';
import { AccountState, evolveAccount, initialAccount } from './account.state';
import { CloseDay, closeDay } from './close-day';
import {
  decideWriteOff, DecideWriteOff, IssueCreditNote, issueCreditNote, OpenDispute, openDispute, RecordPromiseToPay,
  recordPromiseToPay, RequestWriteOff, requestWriteOff, ResolveDispute, resolveDispute,
} from './invoice-adjustments';
import { IssueInvoice, issueInvoice } from './issue-invoice';
import { ReceivePayment, receivePayment, ReversePayment, reversePayment } from './receive-payment';

export type AccountCommand =
  | IssueInvoice | ReceivePayment | ReversePayment | IssueCreditNote | OpenDispute | ResolveDispute
  | RecordPromiseToPay | RequestWriteOff | DecideWriteOff | CloseDay;

/** One customer's receivables: invoices, payments and their allocation, collection. */
export const accountDecider: Decider<AccountState, AccountCommand, AccountEvent> = {
  initialState: initialAccount,
  evolve: evolveAccount,
  decide(command, state) {
    switch (command.type) {
      case 'IssueInvoice': return issueInvoice(command, state);
      case 'ReceivePayment': return receivePayment(command, state);
      case 'ReversePayment': return reversePayment(command, state);
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
