import {
  BusinessDayClosedV1, CreditNoteIssuedV1, DunningLevelRaisedV1, InvoiceBecameOverdueV1, InvoiceDisputedV1,
  InvoiceDisputeResolvedV1, InvoiceIssuedV1, PaymentReceivedV1, PaymentReversedV1, PromiseToPayOutcomeV1,
  PromiseToPayRecordedV1, WriteOffApprovedV1, WriteOffRejectedV1, WriteOffRequestedV1,
} from '@crm/contracts';

type E<T extends string, D> = { type: T; schemaVersion: 1; data: D };

/** Everything that happens to one customer's receivables, in one stream (atomic allocation and credit checks). */
export type AccountEvent =
  | E<'InvoiceIssued', InvoiceIssuedV1>
  | E<'PaymentReceived', PaymentReceivedV1>
  | E<'PaymentReversed', PaymentReversedV1>
  | E<'CreditNoteIssued', CreditNoteIssuedV1>
  | E<'InvoiceDisputed', InvoiceDisputedV1>
  | E<'InvoiceDisputeResolved', InvoiceDisputeResolvedV1>
  | E<'PromiseToPayRecorded', PromiseToPayRecordedV1>
  | E<'PromiseToPayKept', PromiseToPayOutcomeV1>
  | E<'PromiseToPayPartiallyKept', PromiseToPayOutcomeV1>
  | E<'PromiseToPayBroken', PromiseToPayOutcomeV1>
  | E<'WriteOffRequested', WriteOffRequestedV1>
  | E<'WriteOffApproved', WriteOffApprovedV1>
  | E<'WriteOffRejected', WriteOffRejectedV1>
  | E<'InvoiceBecameOverdue', InvoiceBecameOverdueV1>
  | E<'DunningLevelRaised', DunningLevelRaisedV1>;

export type OperationsEvent = E<'BusinessDayClosed', BusinessDayClosedV1>;

export function event<T extends AccountEvent['type']>(type: T, data: Extract<AccountEvent, { type: T }>['data']): AccountEvent {
  return { type, schemaVersion: 1, data } as AccountEvent;
}
