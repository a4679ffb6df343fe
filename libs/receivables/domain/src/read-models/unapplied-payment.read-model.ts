import { EventEnvelope, isEventOf } from '@crm/contracts';

/** One payment as the unmatched list sees it: what it still holds unapplied. */
export interface UnappliedPaymentDoc {
  paymentId: string;
  customerId: string;
  currency: string;
  amount: number;
  receivedOn: string;
  method: string;
  reference: string;
  remittance: string | null;
  unapplied: number;
  reversed: boolean;
}

/** The payments an event changes the unapplied money of (credit taken from a payment names it as a source). */
export function unappliedPaymentKeys(event: EventEnvelope): string[] {
  if (isEventOf(event, 'PaymentReceived', 'PaymentAllocated', 'PaymentReversed')) return [event.data.paymentId];
  if (isEventOf(event, 'CreditBalanceApplied')) {
    return [...new Set(event.data.applications.filter((a) => a.source.kind === 'payment').map((a) => a.source.id))];
  }
  if (isEventOf(event, 'CreditBalanceRefunded')) return [...new Set(event.data.sources.filter((s) => s.kind === 'payment').map((s) => s.id))];
  return [];
}

export function evolveUnappliedPayment(doc: UnappliedPaymentDoc | undefined, event: EventEnvelope, paymentId: string): UnappliedPaymentDoc | null {
  if (isEventOf(event, 'PaymentReceived')) {
    const d = event.data;
    return { paymentId, customerId: d.customerId, currency: d.currency, amount: d.amount, receivedOn: d.receivedOn, method: d.method,
      reference: d.reference, remittance: d.remittance ?? null, unapplied: d.unapplied, reversed: false };
  }
  if (!doc) return null;
  if (isEventOf(event, 'PaymentAllocated')) return { ...doc, unapplied: event.data.unapplied };
  if (isEventOf(event, 'PaymentReversed')) return { ...doc, unapplied: 0, reversed: true };
  if (isEventOf(event, 'CreditBalanceApplied')) {
    const used = event.data.applications.filter((a) => a.source.kind === 'payment' && a.source.id === paymentId).reduce((n, a) => n + a.amount, 0);
    return { ...doc, unapplied: doc.unapplied - used };
  }
  if (isEventOf(event, 'CreditBalanceRefunded')) {
    const used = event.data.sources.filter((s) => s.kind === 'payment' && s.id === paymentId).reduce((n, s) => n + s.amount, 0);
    return { ...doc, unapplied: doc.unapplied - used };
  }
  return doc;
}
