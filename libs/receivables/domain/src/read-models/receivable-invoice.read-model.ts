import { daysBetween, EventEnvelope, InstallmentV1 } from '@crm/contracts';
import { AgingBucket, agingBucket } from '../receivables-policy';

/**
 * One invoice as the collection read models see it, with dated changes so any past business
 * date can be evaluated (`?asOf=`): amounts settled or written off, dunning, disputes, promises.
 */
export interface ReceivableInvoiceDoc {
  invoiceId: string;
  number: string;
  customerId: string;
  currency: string;
  issueDate: string;
  total: number;
  installments: InstallmentV1[];
  changes: Array<{ on: string; settled: number; writtenOff: number }>;
  dunning: Array<{ on: string; level: number }>;
  disputes: Array<{ from: string; to: string | null }>;
  /** `broken` since the worklist segments (absent in documents folded before). */
  promises: Array<{ recordedOn: string; promisedDate: string; resolvedOn: string | null; broken?: boolean }>;
  outstanding: number;
  /** Latest change date while nothing is outstanding: the invoice is closed from then on. */
  closedOn: string | null;
}

function settledPart(changes: ReceivableInvoiceDoc['changes']) {
  return changes.reduce((n, c) => n + c.settled + c.writtenOff, 0);
}

function withChange(doc: ReceivableInvoiceDoc, on: string, settled: number, writtenOff: number): ReceivableInvoiceDoc {
  const changes = [...doc.changes, { on, settled, writtenOff }];
  const outstanding = doc.total - settledPart(changes);
  const latest = changes.reduce((d, c) => (c.on > d ? c.on : d), doc.issueDate);
  return { ...doc, changes, outstanding, closedOn: outstanding === 0 ? latest : null };
}

/** Every invoice an event touches (a payment touches each invoice it is allocated to). */
export function receivableInvoiceKeys(event: EventEnvelope): string[] {
  const d = event.data as any;
  // Each invoice once: a reversal lists every allocation of the payment, two to one invoice too.
  if (event.type === 'PaymentReceived' || event.type === 'PaymentReversed' || event.type === 'PaymentAllocated') {
    return [...new Set<string>(d.allocations.map((a: any) => a.invoiceId))];
  }
  if (event.type === 'CreditBalanceApplied') return [...new Set<string>(d.applications.map((a: any) => a.invoiceId))];
  return typeof d.invoiceId === 'string' ? [d.invoiceId] : [];
}

export function evolveReceivableInvoice(doc: ReceivableInvoiceDoc | undefined, event: EventEnvelope, key: string): ReceivableInvoiceDoc | null {
  const d = event.data as any;
  if (event.type === 'InvoiceIssued') {
    return { invoiceId: d.invoiceId, number: d.number, customerId: d.customerId, currency: d.currency, issueDate: d.issueDate,
      total: d.total, installments: d.installments, changes: [], dunning: [], disputes: [], promises: [], outstanding: d.total, closedOn: null };
  }
  if (!doc) return null;
  switch (event.type) {
    case 'PaymentReceived':
    case 'PaymentReversed': {
      const sign = event.type === 'PaymentReceived' ? 1 : -1;
      const on = event.type === 'PaymentReceived' ? d.receivedOn : d.reversedOn;
      // A reversal lists every allocation the payment made, later ones too: one invoice may appear twice.
      const mine = d.allocations.filter((a: any) => a.invoiceId === key && a.kind === 'payment');
      if (mine.length === 0) return doc;
      return withChange(doc, on, sign * mine.reduce((n: number, a: any) => n + a.amount + a.discount, 0), 0);
    }
    case 'PaymentAllocated': {
      const allocated = d.allocations.filter((a: any) => a.invoiceId === key && a.kind === 'payment');
      return allocated.length ? withChange(doc, d.allocatedOn, allocated.reduce((n: number, a: any) => n + a.amount + a.discount, 0), 0) : doc;
    }
    case 'CreditBalanceApplied': {
      const applied = d.applications.filter((a: any) => a.invoiceId === key).reduce((n: number, a: any) => n + a.amount, 0);
      return applied ? withChange(doc, d.appliedOn, applied, 0) : doc;
    }
    // The part of a credit note above the outstanding went to the credit balance, not to the invoice.
    case 'CreditNoteIssued': return withChange(doc, d.issuedOn, d.amount - (d.toCreditBalance ?? 0), 0);
    case 'WriteOffApproved': return withChange(doc, d.approvedOn, 0, d.amount);
    case 'DunningLevelRaised': return { ...doc, dunning: [...doc.dunning, { on: d.businessDate, level: d.level }] };
    case 'InvoiceDisputed': return { ...doc, disputes: [...doc.disputes, { from: d.openedOn, to: null }] };
    case 'InvoiceDisputeResolved':
      return { ...doc, disputes: doc.disputes.map((p) => (p.to === null ? { ...p, to: d.resolvedOn } : p)) };
    case 'PromiseToPayRecorded':
      return { ...doc, promises: [...doc.promises, { recordedOn: d.recordedOn, promisedDate: d.promisedDate, resolvedOn: null }] };
    case 'PromiseToPayKept':
    case 'PromiseToPayPartiallyKept':
    case 'PromiseToPayBroken':
      return { ...doc, promises: doc.promises.map((p) => (p.resolvedOn === null
        ? { ...p, resolvedOn: d.businessDate, broken: event.type === 'PromiseToPayBroken' } : p)) };
    default:
      return doc;
  }
}

export interface InvoiceView {
  customerId: string;
  invoiceId: string;
  number: string;
  currency: string;
  issueDate: string;
  total: number;
  outstanding: number;
  dueDate: string | null;
  daysOverdue: number;
  bucket: AgingBucket;
  dunningLevel: number;
  promisedDate: string | null;
  disputed: boolean;
}

/** The invoice as it stood at the end of business date `asOf` (pure; no clock). */
export function invoiceAsOf(doc: ReceivableInvoiceDoc, asOf: string): InvoiceView | null {
  if (doc.issueDate > asOf) return null;
  const changes = doc.changes.filter((c) => c.on <= asOf);
  // Dated changes can overlap in business time (a payment back-dated after a later-dated
  // reversal freed the invoice): an invoice is never settled beyond its total, nor below zero.
  const settled = Math.min(doc.total, Math.max(0, settledPart(changes)));
  const outstanding = doc.total - settled;
  let covered = settled;
  const dueDate = doc.installments.find((i) => {
    if (covered < i.amount) return true;
    covered -= i.amount;
    return false;
  })?.dueDate ?? null;
  const daysOverdue = dueDate ? Math.max(0, daysBetween(dueDate, asOf)) : 0;
  const promise = doc.promises.find((p) => p.recordedOn <= asOf && (p.resolvedOn === null || p.resolvedOn > asOf));
  return {
    customerId: doc.customerId, invoiceId: doc.invoiceId, number: doc.number, currency: doc.currency, issueDate: doc.issueDate,
    total: doc.total, outstanding, dueDate, daysOverdue, bucket: agingBucket(dueDate ? daysBetween(dueDate, asOf) : 0),
    dunningLevel: doc.dunning.filter((x) => x.on <= asOf).reduce((l, x) => Math.max(l, x.level), 0),
    promisedDate: promise?.promisedDate ?? null,
    disputed: doc.disputes.some((p) => p.from <= asOf && (p.to === null || p.to > asOf)),
  };
}
