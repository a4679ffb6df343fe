import { eventsTopic, isEventOf } from '@crm/contracts';
import { DocumentProjection } from '@crm/eventing';
import { evolveReceivableInvoice, evolveUnappliedPayment, ReceivableInvoiceDoc, receivableInvoiceKeys, UnappliedPaymentDoc, unappliedPaymentKeys } from '@crm/receivables-domain';
import { applyOverdueBatch, OVERDUE_COMPANIONS } from './overdue-read-model';

export interface KnownCustomer {
  customerId: string;
  kind: string;
  /** A company's legal name; null for a person, whose name is personal data (sealed in customers' events). */
  legalName: string | null;
}

/**
 * Receivables' own copy of who the customers are (a customer must exist to be invoiced). A
 * person's legal name is never kept (it arrives sealed, and receivables has no key), and a
 * name kept from before it was sealed is dropped when the customer's personal data is erased.
 */
export function knownCustomersProjection(prefix: string): DocumentProjection<KnownCustomer> {
  return {
    name: 'known-customers',
    table: 'known_customers',
    topics: [eventsTopic('customers', prefix)],
    // 2: kind kept, a person's legal name dropped (a rebuild removes names kept before).
    version: 2,
    keyOf: (e) => (isEventOf(e, 'CustomerRegistered') || isEventOf(e, 'CustomerPersonalDataErased') ? e.subject : undefined),
    evolve: (doc, e) => {
      if (isEventOf(e, 'CustomerRegistered')) {
        return { customerId: e.data.customerId, kind: e.data.kind, legalName: e.data.kind === 'person' ? null : e.data.legalName };
      }
      if (isEventOf(e, 'CustomerPersonalDataErased') && doc) return doc.kind === 'company' ? doc : { ...doc, legalName: null };
      return doc ?? null;
    },
  };
}

export interface CreditPosition {
  customerId: string;
  limit: { amount: number; currency: string } | null;
  /** Longest payment terms approved with the limit (null: a v1 approval, which recorded none). */
  paymentTermsDays: number | null;
  onHold: boolean;
  holdReason: string | null;
}

/** Receivables' own copy of credit decisions: invoicing keeps working while credit is down. */
export function creditPositionsProjection(prefix: string): DocumentProjection<CreditPosition> {
  return {
    name: 'credit-positions',
    table: 'credit_positions',
    topics: [eventsTopic('credit', prefix)],
    // 2: approved payment terms (CreditLimitApproved v2; v1 events arrive upcast, with none).
    version: 2,
    keyOf: (e) => (isEventOf(e, 'CreditLimitApproved', 'CreditHoldPlaced', 'CreditHoldReleased') ? e.subject : undefined),
    evolve: (doc, e) => {
      const current: CreditPosition = { paymentTermsDays: null, ...(doc ?? { customerId: e.subject, limit: null, onHold: false, holdReason: null }) };
      if (isEventOf(e, 'CreditLimitApproved')) {
        return { ...current, limit: { amount: e.data.limit, currency: e.data.currency }, paymentTermsDays: e.data.paymentTermsDays ?? null };
      }
      if (isEventOf(e, 'CreditHoldPlaced')) return { ...current, onHold: true, holdReason: e.data.reason };
      if (isEventOf(e, 'CreditHoldReleased')) return { ...current, onHold: false, holdReason: null };
      return current;
    },
  };
}

/**
 * The collection read model behind the overdue list, aging, worklist, allowance and metrics:
 * one document per invoice (with its dated changes), and beside it the SQL tables the
 * queries read (overdue-read-model.ts, ADR 27).
 */
export function receivableInvoicesProjection(prefix: string): DocumentProjection<ReceivableInvoiceDoc> {
  return {
    name: 'receivable-invoices',
    table: 'receivable_invoices',
    topics: [eventsTopic('receivables', prefix)],
    columns: [
      `customer_id text GENERATED ALWAYS AS (doc->>'customerId') STORED`,
      `currency text GENERATED ALWAYS AS (doc->>'currency') STORED`,
      `issue_date text GENERATED ALWAYS AS (doc->>'issueDate') STORED`,
      `outstanding bigint GENERATED ALWAYS AS ((doc->>'outstanding')::bigint) STORED`,
      `closed_on text GENERATED ALWAYS AS (doc->>'closedOn') STORED`,
    ],
    indexes: ['(customer_id, currency)', '(issue_date)', '(closed_on)', '(customer_id, closed_on DESC, id)'],
    // 2: the overdue tables beside the documents (ADR 27); 3: broken promises marked (worklist segments).
    version: 3,
    keyOf: receivableInvoiceKeys,
    evolve: evolveReceivableInvoice,
    companions: OVERDUE_COMPANIONS,
    apply: applyOverdueBatch,
  };
}

/** Payments holding unapplied money: the list cash application works from (`GET /v1/payments/unmatched`). */
export function unappliedPaymentsProjection(prefix: string): DocumentProjection<UnappliedPaymentDoc> {
  return {
    name: 'unapplied-payments',
    table: 'unapplied_payments',
    topics: [eventsTopic('receivables', prefix)],
    columns: [
      `customer_id text GENERATED ALWAYS AS (doc->>'customerId') STORED`,
      `currency text GENERATED ALWAYS AS (doc->>'currency') STORED`,
      `received_on text GENERATED ALWAYS AS (doc->>'receivedOn') STORED`,
      `unapplied bigint GENERATED ALWAYS AS ((doc->>'unapplied')::bigint) STORED`,
    ],
    // The list reads only payments with money left, oldest first: a partial index keeps it small.
    indexes: ['(received_on, id) WHERE unapplied > 0', '(customer_id, received_on, id) WHERE unapplied > 0'],
    keyOf: unappliedPaymentKeys,
    evolve: evolveUnappliedPayment,
  };
}
