import { EventEnvelope, exposureChange } from '@crm/contracts';

type Source = 'credit' | 'receivables' | 'engagement';

/**
 * One fact another service published about the customer, as customers keeps it. `at`: the
 * event's time (freshness); `recordedAt`: when its service recorded it (as-of reads).
 */
export interface OverviewFact { at: string; recordedAt: string; source: Source; type: string; data: Record<string, any> }

export interface OverviewFacts { customerId: string; facts: OverviewFact[] }

const KEPT: Record<string, Source> = {
  CreditAssessed: 'credit', CreditLimitApproved: 'credit', CreditHoldPlaced: 'credit', CreditHoldReleased: 'credit',
  InvoiceIssued: 'receivables', PaymentReceived: 'receivables', PaymentReversed: 'receivables', CreditNoteIssued: 'receivables',
  PaymentAllocated: 'receivables', CreditBalanceApplied: 'receivables', CreditBalanceRefunded: 'receivables',
  WriteOffApproved: 'receivables', InvoiceBecameOverdue: 'receivables', DunningLevelRaised: 'receivables',
  LoyaltyTierChanged: 'engagement', LoyaltyPointsEarned: 'engagement', LoyaltyPointsReversed: 'engagement', LoyaltyPointsRedeemed: 'engagement',
  LoyaltyPointsExpired: 'engagement', ChurnRiskFlagged: 'engagement', ChurnRiskCleared: 'engagement', ChurnRiskScored: 'engagement',
  InteractionRecorded: 'engagement', ComplaintRaised: 'engagement', ComplaintResolved: 'engagement',
};

const POINTS_EVENTS = new Set(['LoyaltyPointsEarned', 'LoyaltyPointsReversed', 'LoyaltyPointsRedeemed', 'LoyaltyPointsExpired']);
const CHURN_EVENTS = new Set(['ChurnRiskFlagged', 'ChurnRiskCleared', 'ChurnRiskScored']);

/** What the 360 needs of each event: nothing personal (a complaint's description stays in engagement). */
function keptData(type: string, d: Record<string, any>): Record<string, any> {
  const kept = keptFields(type, d);
  // Receivables' events also keep how they move credit exposure (the one rule, in contracts).
  return KEPT[type] === 'receivables' ? { ...kept, exposure: exposureChange({ type, data: d }) } : kept;
}

function keptFields(type: string, d: Record<string, any>): Record<string, any> {
  switch (type) {
    case 'InvoiceIssued': return { invoiceId: d.invoiceId, total: d.total, currency: d.currency };
    case 'PaymentReceived': case 'PaymentReversed': case 'PaymentAllocated':
      return { allocations: (d.allocations ?? []).map((a: any) => ({ invoiceId: a.invoiceId, amount: a.amount + (a.discount ?? 0) })) };
    case 'CreditBalanceApplied': return { allocations: (d.applications ?? []).map((a: any) => ({ invoiceId: a.invoiceId, amount: a.amount })) };
    case 'CreditBalanceRefunded': return { amount: d.amount };
    // The part of a credit note above the outstanding went to the credit balance, not to the invoice.
    case 'CreditNoteIssued': return { invoiceId: d.invoiceId, amount: d.amount - (d.toCreditBalance ?? 0) };
    case 'WriteOffApproved': return { invoiceId: d.invoiceId, amount: d.amount };
    case 'InvoiceBecameOverdue': return { invoiceId: d.invoiceId };
    case 'DunningLevelRaised': return { invoiceId: d.invoiceId, level: d.level };
    case 'CreditAssessed': return { grade: d.grade, score: d.score };
    case 'CreditLimitApproved': return { limit: d.limit, currency: d.currency };
    case 'LoyaltyTierChanged': return { tier: d.tier };
    case 'InteractionRecorded': return { interactionId: d.interactionId, occurredAt: d.occurredAt, channel: d.channel };
    case 'ComplaintRaised': case 'ComplaintResolved': return { complaintId: d.complaintId };
    default:
      if (POINTS_EVENTS.has(type)) return { balance: d.balance };
      if (CHURN_EVENTS.has(type)) return { score: d.score };
      return {};
  }
}

export function overviewKey(event: EventEnvelope): string | undefined {
  return KEPT[event.type] ? (event.data as { customerId?: string }).customerId : undefined;
}

/** Keeps what the overview needs of each event, in place; a redelivered event (same id) is kept once. */
export function evolveOverviewFacts(doc: OverviewFacts | undefined, event: EventEnvelope, customerId: string): OverviewFacts | null {
  const source = KEPT[event.type];
  if (!source) return doc ?? null;
  const entry = doc ?? { customerId, facts: [] };
  const data = keptData(event.type, event.data as Record<string, any>);
  if (entry.facts.some((f) => f.data.eventId === event.id)) return entry;
  // Kept in (time, event id) order whatever order two topics deliver in: a rebuild equals live.
  const fact = { at: event.time, recordedAt: event.recordedAt ?? event.time, source, type: event.type, data: { ...data, eventId: event.id } };
  const before = (f: OverviewFact) => f.at > fact.at || (f.at === fact.at && f.data.eventId > fact.data.eventId);
  const at = entry.facts.findIndex(before);
  if (at === -1) entry.facts.push(fact);
  else entry.facts.splice(at, 0, fact);
  return entry;
}

type Part<T> = ({ status: 'no-events'; lastEventAt: null }) | ({ status: 'ok'; lastEventAt: string; stale: boolean } & T);

export interface OverviewReading {
  /** Recorded up to this instant (all when absent). */
  asOf?: string;
  /** The instant staleness is judged at: asOf, or now. */
  at: string;
  /** A part whose last event is older than this before `at` is stale. */
  staleAfterMs: number;
}

const isStale = (lastEventAt: string, reading: OverviewReading) => Date.parse(reading.at) - Date.parse(lastEventAt) > reading.staleAfterMs;

/**
 * The 360 parts from other services' facts recorded up to `asOf`. A part whose service has sent
 * nothing says so (`no-events`) instead of showing zeros; a part whose last event is older than
 * the threshold says `stale: true` (its service may have stopped publishing).
 */
export function overviewParts(doc: OverviewFacts | undefined, reading: OverviewReading) {
  const { asOf } = reading;
  // As recorded then: what the services had recorded by `asOf` (facts from before recordedAt existed use their time).
  const facts = (doc?.facts ?? []).filter((f) => asOf === undefined || (f.recordedAt ?? f.at) <= asOf).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const last = (source: Source) => facts.filter((f) => f.source === source).pop()?.at ?? null;
  const part = <T>(source: Source, fill: (own: OverviewFact[]) => T): Part<T> => {
    const lastEventAt = last(source);
    if (lastEventAt === null) return { status: 'no-events', lastEventAt: null };
    return { status: 'ok', lastEventAt, stale: isStale(lastEventAt, reading), ...fill(facts.filter((f) => f.source === source)) };
  };
  return {
    credit: part('credit', (own) => creditPart(own, facts.filter((f) => f.source === 'receivables'))),
    receivables: part('receivables', receivablesPart),
    engagement: part('engagement', engagementPart),
  };
}

/** Credit's grade, limit and hold from its events; exposure per currency from receivables' events, as credit counts it. */
function creditPart(facts: OverviewFact[], receivables: OverviewFact[]) {
  let grade: string | null = null; let limit: { amount: number; currency: string } | null = null; let onHold = false;
  for (const f of facts) {
    if (f.type === 'CreditAssessed') grade = f.data.grade;
    if (f.type === 'CreditLimitApproved') limit = { amount: f.data.limit, currency: f.data.currency };
    if (f.type === 'CreditHoldPlaced') onHold = true;
    if (f.type === 'CreditHoldReleased') onHold = false;
  }
  const exposure = new Map<string, number>();
  for (const f of receivables) for (const { currency, amount } of f.data.exposure ?? []) exposure.set(currency, (exposure.get(currency) ?? 0) + amount);
  return { grade, limit, onHold, exposure: [...exposure].map(([currency, amount]) => ({ currency, amount: Math.max(0, amount) })).sort((a, b) => (a.currency < b.currency ? -1 : 1)) };
}

/** Order-independent: invoices first, then what settles them (a payment may carry the same instant as its invoice). */
function receivablesPart(facts: OverviewFact[]) {
  const invoices = new Map<string, { currency: string; outstanding: number; overdue: boolean; dunning: number }>();
  for (const f of facts) {
    if (f.type === 'InvoiceIssued') invoices.set(f.data.invoiceId, { currency: f.data.currency, outstanding: f.data.total, overdue: false, dunning: 0 });
  }
  for (const f of facts) {
    const inv = f.data.invoiceId ? invoices.get(f.data.invoiceId) : undefined;
    if (f.type === 'PaymentReceived' || f.type === 'PaymentAllocated' || f.type === 'CreditBalanceApplied') {
      for (const a of f.data.allocations) { const i = invoices.get(a.invoiceId); if (i) i.outstanding -= a.amount; }
    }
    if (f.type === 'PaymentReversed') for (const a of f.data.allocations) { const i = invoices.get(a.invoiceId); if (i) i.outstanding += a.amount; }
    if (inv && (f.type === 'CreditNoteIssued' || f.type === 'WriteOffApproved')) inv.outstanding -= f.data.amount;
    if (inv && f.type === 'InvoiceBecameOverdue') inv.overdue = true;
    if (inv && f.type === 'DunningLevelRaised') inv.dunning = Math.max(inv.dunning, f.data.level);
  }
  const openOnes = [...invoices.values()].filter((i) => i.outstanding > 0);
  const sum = (list: typeof openOnes) => [...list.reduce((m, i) => m.set(i.currency, (m.get(i.currency) ?? 0) + i.outstanding), new Map<string, number>())]
    .map(([currency, amount]) => ({ currency, amount })).sort((a, b) => (a.currency < b.currency ? -1 : 1));
  return { open: sum(openOnes), overdue: sum(openOnes.filter((i) => i.overdue)), openInvoices: openOnes.length,
    worstDunningLevel: openOnes.reduce((m, i) => Math.max(m, i.dunning), 0) };
}

/**
 * Loyalty (tier, and the balance the last points event carries), churn risk, the latest
 * interaction by when it happened (one may be recorded after a later one) and open complaints.
 * A part of engagement that has sent nothing of its kind is null.
 */
function engagementPart(facts: OverviewFact[]) {
  const part = {
    loyalty: null as { tier: string; points: number } | null,
    churnRisk: null as { score: number; flagged: boolean; lastEventAt: string } | null,
    lastInteraction: null as { occurredAt: string; channel: string } | null,
  };
  // Raised minus resolved, whatever order two events of one instant sort in.
  const raised = new Set<string>();
  const resolved = new Set<string>();
  for (const f of facts) {
    if (f.type === 'LoyaltyTierChanged') part.loyalty = { tier: f.data.tier, points: part.loyalty?.points ?? 0 };
    if (POINTS_EVENTS.has(f.type)) part.loyalty = { tier: part.loyalty?.tier ?? 'Member', points: f.data.balance };
    if (CHURN_EVENTS.has(f.type)) {
      const flagged: boolean = f.type === 'ChurnRiskFlagged' ? true : f.type === 'ChurnRiskCleared' ? false : part.churnRisk?.flagged ?? false;
      part.churnRisk = { score: f.data.score, flagged, lastEventAt: f.at };
    }
    if (f.type === 'InteractionRecorded' && (part.lastInteraction === null || f.data.occurredAt > part.lastInteraction.occurredAt)) {
      part.lastInteraction = { occurredAt: f.data.occurredAt, channel: f.data.channel };
    }
    if (f.type === 'ComplaintRaised') raised.add(f.data.complaintId);
    if (f.type === 'ComplaintResolved') resolved.add(f.data.complaintId);
  }
  return { ...part, openComplaints: [...raised].filter((id) => !resolved.has(id)).length };
}
