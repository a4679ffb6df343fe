import { EventEnvelope, isEventOf } from '@crm/contracts';

/** Customers' copy of what receivables published about one customer: the inputs of its classification. */
export interface CustomerRevenue {
  customerId: string;
  invoices: Array<{ invoiceId: string; on: string; amount: number; currency: string }>;
  payments: Array<{ paymentId: string; on: string; amount: number; currency: string }>;
  /** Invoices that became overdue at least once (not paid on time). */
  overdueInvoices: string[];
  /** Time of the last receivables event applied (freshness). */
  lastEventAt: string;
}

const REVENUE_EVENTS = new Set(['InvoiceIssued', 'PaymentReceived', 'InvoiceBecameOverdue', 'WriteOffApproved']);

export function customerRevenueKey(event: EventEnvelope): string | undefined {
  return REVENUE_EVENTS.has(event.type) ? (event.data as { customerId?: string }).customerId : undefined;
}

/** Pure, in place, idempotent per invoice/payment id (a redelivered event changes nothing). */
export function evolveCustomerRevenue(doc: CustomerRevenue | undefined, event: EventEnvelope, customerId: string): CustomerRevenue | null {
  const entry = doc ?? { customerId, invoices: [], payments: [], overdueInvoices: [], lastEventAt: event.time };
  if (isEventOf(event, 'InvoiceIssued')) {
    const d = event.data;
    if (!entry.invoices.some((i) => i.invoiceId === d.invoiceId)) entry.invoices.push({ invoiceId: d.invoiceId, on: d.issueDate, amount: d.total, currency: d.currency });
  } else if (isEventOf(event, 'PaymentReceived')) {
    const d = event.data;
    if (!entry.payments.some((p) => p.paymentId === d.paymentId)) entry.payments.push({ paymentId: d.paymentId, on: d.receivedOn, amount: d.amount, currency: d.currency });
  } else if (isEventOf(event, 'InvoiceBecameOverdue')) {
    if (!entry.overdueInvoices.includes(event.data.invoiceId)) entry.overdueInvoices.push(event.data.invoiceId);
  } else if (isEventOf(event, 'WriteOffApproved')) {
    if (!entry.overdueInvoices.includes(event.data.invoiceId)) entry.overdueInvoices.push(event.data.invoiceId);
  } else {
    return doc ?? null;
  }
  if (event.time > entry.lastEventAt) entry.lastEventAt = event.time;
  return entry;
}
