import { EventEnvelope } from '@crm/contracts';

/** One fact another service published about the customer, as customers keeps it (time = the event's). */
/** `at`: the event's business time (freshness); `recordedAt`: when its service recorded it (as-of reads). */
export interface OverviewFact { at: string; recordedAt: string; source: 'credit' | 'receivables'; type: string; data: Record<string, any> }

export interface OverviewFacts { customerId: string; facts: OverviewFact[] }

const KEPT: Record<string, 'credit' | 'receivables'> = {
  CreditAssessed: 'credit', CreditLimitApproved: 'credit', CreditHoldPlaced: 'credit', CreditHoldReleased: 'credit',
  InvoiceIssued: 'receivables', PaymentReceived: 'receivables', PaymentReversed: 'receivables', CreditNoteIssued: 'receivables',
  WriteOffApproved: 'receivables', InvoiceBecameOverdue: 'receivables', DunningLevelRaised: 'receivables',
};

export function overviewKey(event: EventEnvelope): string | undefined {
  return KEPT[event.type] ? (event.data as { customerId?: string }).customerId : undefined;
}

/** Keeps what the overview needs of each event, in place; a redelivered event (same id) is kept once. */
export function evolveOverviewFacts(doc: OverviewFacts | undefined, event: EventEnvelope, customerId: string): OverviewFacts | null {
  const source = KEPT[event.type];
  if (!source) return doc ?? null;
  const entry = doc ?? { customerId, facts: [] };
  const d = event.data as Record<string, any>;
  const data: Record<string, any> = event.type === 'InvoiceIssued' ? { invoiceId: d.invoiceId, total: d.total, currency: d.currency }
    : event.type === 'PaymentReceived' || event.type === 'PaymentReversed' ? { allocations: (d.allocations ?? []).map((a: any) => ({ invoiceId: a.invoiceId, amount: a.amount + (a.discount ?? 0) })) }
      : event.type === 'CreditNoteIssued' || event.type === 'WriteOffApproved' ? { invoiceId: d.invoiceId, amount: d.amount }
        : event.type === 'InvoiceBecameOverdue' ? { invoiceId: d.invoiceId }
          : event.type === 'DunningLevelRaised' ? { invoiceId: d.invoiceId, level: d.level }
            : event.type === 'CreditAssessed' ? { grade: d.grade, score: d.score }
              : event.type === 'CreditLimitApproved' ? { limit: d.limit, currency: d.currency }
                : {};
  if (entry.facts.some((f) => f.data.eventId === event.id)) return entry;
  // Kept in (time, event id) order whatever order two topics deliver in: a rebuild equals live.
  const fact = { at: event.time, recordedAt: event.recordedAt ?? event.time, source, type: event.type, data: { ...data, eventId: event.id } };
  const before = (f: OverviewFact) => f.at > fact.at || (f.at === fact.at && f.data.eventId > fact.data.eventId);
  const at = entry.facts.findIndex(before);
  if (at === -1) entry.facts.push(fact);
  else entry.facts.splice(at, 0, fact);
  return entry;
}

type Part<T> = ({ status: 'no-events'; lastEventAt: null }) | ({ status: 'ok'; lastEventAt: string } & T);

/**
 * The 360 parts from other services' facts recorded up to `asOf` (all when absent). A part
 * whose service has sent nothing says so (`no-events`) instead of showing zeros.
 */
export function overviewParts(doc: OverviewFacts | undefined, asOf?: string) {
  // As recorded then: what the services had recorded by `asOf` (facts from before recordedAt existed use their time).
  const facts = (doc?.facts ?? []).filter((f) => asOf === undefined || (f.recordedAt ?? f.at) <= asOf).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const last = (source: string) => facts.filter((f) => f.source === source).pop()?.at ?? null;
  const creditAt = last('credit');
  const receivablesAt = last('receivables');
  const credit: Part<{ grade: string | null; limit: { amount: number; currency: string } | null; onHold: boolean }> = creditAt === null
    ? { status: 'no-events', lastEventAt: null }
    : (() => {
      let grade: string | null = null; let limit: { amount: number; currency: string } | null = null; let onHold = false;
      for (const f of facts) {
        if (f.type === 'CreditAssessed') grade = f.data.grade;
        if (f.type === 'CreditLimitApproved') limit = { amount: f.data.limit, currency: f.data.currency };
        if (f.type === 'CreditHoldPlaced') onHold = true;
        if (f.type === 'CreditHoldReleased') onHold = false;
      }
      return { status: 'ok' as const, lastEventAt: creditAt, grade, limit, onHold };
    })();
  const receivables: Part<{ open: Array<{ currency: string; amount: number }>; overdue: Array<{ currency: string; amount: number }>; openInvoices: number; worstDunningLevel: number }> =
    receivablesAt === null ? { status: 'no-events', lastEventAt: null } : (() => {
      const invoices = new Map<string, { currency: string; outstanding: number; overdue: boolean; dunning: number }>();
      for (const f of facts) {
        if (f.type === 'InvoiceIssued') invoices.set(f.data.invoiceId, { currency: f.data.currency, outstanding: f.data.total, overdue: false, dunning: 0 });
        const inv = f.data.invoiceId ? invoices.get(f.data.invoiceId) : undefined;
        if (f.type === 'PaymentReceived') for (const a of f.data.allocations) { const i = invoices.get(a.invoiceId); if (i) i.outstanding -= a.amount; }
        if (f.type === 'PaymentReversed') for (const a of f.data.allocations) { const i = invoices.get(a.invoiceId); if (i) i.outstanding += a.amount; }
        if (inv && (f.type === 'CreditNoteIssued' || f.type === 'WriteOffApproved')) inv.outstanding -= f.data.amount;
        if (inv && f.type === 'InvoiceBecameOverdue') inv.overdue = true;
        if (inv && f.type === 'DunningLevelRaised') inv.dunning = Math.max(inv.dunning, f.data.level);
      }
      const openOnes = [...invoices.values()].filter((i) => i.outstanding > 0);
      const sum = (list: typeof openOnes) => [...list.reduce((m, i) => m.set(i.currency, (m.get(i.currency) ?? 0) + i.outstanding), new Map<string, number>())]
        .map(([currency, amount]) => ({ currency, amount })).sort((a, b) => (a.currency < b.currency ? -1 : 1));
      return { status: 'ok' as const, lastEventAt: receivablesAt, open: sum(openOnes), overdue: sum(openOnes.filter((i) => i.overdue)), openInvoices: openOnes.length,
        worstDunningLevel: openOnes.reduce((m, i) => Math.max(m, i.dunning), 0) };
    })();
  return { credit, receivables };
}
