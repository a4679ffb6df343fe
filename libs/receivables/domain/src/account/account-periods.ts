import { periodOf } from '../periods/period-gate';
import { AccountCommand } from './account.decider';
import { AccountState } from './account.state';
import { reversalDate } from './receive-payment';

/**
 * The accounting periods a command may date an entry in, so its append can read their gates
 * before deciding: an invoice's issue date, a payment's receipt, a credit note's date, the
 * date a reversal will carry, and the dates of a later allocation and of a refund (both the
 * request's business date, as a credit note's); a policy change's and a dispute resolution's, for
 * the credit application they may bring. Other commands date nothing a closed period protects.
 */
export function periodsConcerned(command: AccountCommand, state: AccountState): string[] {
  switch (command.type) {
    case 'IssueInvoice': return [periodOf(command.data.issueDate)];
    case 'ReceivePayment': return [periodOf(command.data.receivedOn)];
    case 'IssueCreditNote': return [periodOf(command.data.issuedOn)];
    case 'AllocatePayment': return [periodOf(command.data.allocatedOn)];
    case 'RefundCreditBalance': return [periodOf(command.data.refundedOn)];
    // Not gated themselves: the period of the credit application they may bring (never dated in a closed one).
    case 'SetReceivablesPolicy': return [periodOf(command.data.changedOn)];
    case 'ResolveDispute': return [periodOf(command.data.resolvedOn)];
    case 'ReversePayment': {
      const payment = state.payments[command.data.paymentId];
      return payment ? [periodOf(reversalDate(command.data, payment.receivedOn))] : [];
    }
    default: return [];
  }
}
