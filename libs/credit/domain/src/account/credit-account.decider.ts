import { Decider } from '@crm/contracts';
import { CreditAccountEvent } from './credit-account.events';
import { CreditAccountState, evolveCreditAccount, initialCreditAccount } from './credit-account.state';
import { AssessCredit, assessCredit, RecordFinancials, recordFinancials } from './financials-and-assessment';
import { EvaluateHold, evaluateHold, PlaceHold, placeHold, ReleaseHold, releaseHold } from './holds';
import {
  ApproveCreditLimit, approveCreditLimit, RejectCreditLimit, rejectCreditLimit, RequestCreditLimit, requestCreditLimit,
} from './limit-requests';
import { CloseReviewDay, closeReviewDay } from './review';

export type CreditAccountCommand =
  | RecordFinancials | AssessCredit | RequestCreditLimit | ApproveCreditLimit | RejectCreditLimit
  | PlaceHold | ReleaseHold | EvaluateHold | CloseReviewDay;

/** One customer's credit: financials, assessments, limit requests and the limit, holds, reviews. */
export const creditAccountDecider: Decider<CreditAccountState, CreditAccountCommand, CreditAccountEvent> = {
  initialState: initialCreditAccount,
  evolve: evolveCreditAccount,
  decide(command, state) {
    switch (command.type) {
      case 'RecordFinancials': return recordFinancials(command);
      case 'AssessCredit': return assessCredit(command, state);
      case 'RequestCreditLimit': return requestCreditLimit(command, state);
      case 'ApproveCreditLimit': return approveCreditLimit(command, state);
      case 'RejectCreditLimit': return rejectCreditLimit(command, state);
      case 'PlaceHold': return placeHold(command, state);
      case 'ReleaseHold': return releaseHold(command, state);
      case 'EvaluateHold': return evaluateHold(command, state);
      case 'CloseReviewDay': return closeReviewDay(command, state);
      default: {
        const unhandled: never = command;
        throw new Error(`unknown command ${(unhandled as { type: string }).type}`);
      }
    }
  },
};

/** Ids the account's events make it the owner of: how a limit request finds its customer's stream. */
export function creditAccountLookups(e: CreditAccountEvent): Array<{ kind: string; id: string }> {
  return e.type === 'CreditLimitRequested' ? [{ kind: 'limit-request', id: e.data.requestId }] : [];
}
