import { EventEnvelope, isEventOf } from '@crm/contracts';

export const SATISFACTION_SEGMENTS = ['abcClass', 'region', 'tier'] as const;
export type SatisfactionSegment = (typeof SATISFACTION_SEGMENTS)[number];
/** The whole month, beside the segments. */
export const ALL = 'all';

/** Counters of one month × segment × value: results are sums, never a scan of responses. */
export interface SatisfactionDoc {
  month: string;
  segment: SatisfactionSegment | typeof ALL;
  value: string | null;
  responses: number;
  csat: { responses: number; sum: number };
  nps: { responses: number; promoters: number; passives: number; detractors: number };
}

const keyPart = (value: string | null) => (value === null ? '~' : value);
export const satisfactionKey = (month: string, segment: string, value: string | null) => `${month}|${segment}|${keyPart(value)}`;

/** The month a response counts in: its business date's (older events without one: respondedAt's UTC date). */
const monthOf = (data: { respondedAt: string; respondedOn?: string }) => (data.respondedOn ?? new Date(data.respondedAt).toISOString()).slice(0, 7);

/** The segment values a response was recorded with; an unclassified customer counts as C, like the SLA rule. */
function valuesOf(segment: { abcClass: string | null; region: string | null; tier: string | null }): Record<SatisfactionSegment, string | null> {
  return { abcClass: segment.abcClass ?? 'C', region: segment.region, tier: segment.tier };
}

export function satisfactionKeys(e: EventEnvelope): string[] | undefined {
  if (!isEventOf(e, 'SurveyResponseRecorded')) return undefined;
  const month = monthOf(e.data);
  const values = valuesOf(e.data.segment);
  return [satisfactionKey(month, ALL, null), ...SATISFACTION_SEGMENTS.map((s) => satisfactionKey(month, s, values[s]))];
}

export function evolveSatisfaction(doc: SatisfactionDoc | undefined, e: EventEnvelope, key: string): SatisfactionDoc | null {
  if (!isEventOf(e, 'SurveyResponseRecorded')) return doc ?? null;
  const [month, segment, raw] = key.split('|');
  const next: SatisfactionDoc = doc ?? {
    month, segment: segment as SatisfactionDoc['segment'], value: raw === '~' ? null : raw,
    responses: 0, csat: { responses: 0, sum: 0 }, nps: { responses: 0, promoters: 0, passives: 0, detractors: 0 },
  };
  next.responses += 1;
  const { kind, score } = e.data;
  if (kind === 'csat') {
    next.csat.responses += 1;
    next.csat.sum += score;
  } else {
    next.nps.responses += 1;
    if (score >= 9) next.nps.promoters += 1;
    else if (score >= 7) next.nps.passives += 1;
    else next.nps.detractors += 1;
  }
  return next;
}

/** What GET /v1/satisfaction shows for one row: CSAT average, NPS = % promoters − % detractors. */
export function satisfactionView(doc: SatisfactionDoc) {
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    value: doc.value,
    responses: doc.responses,
    csat: { average: doc.csat.responses ? round(doc.csat.sum / doc.csat.responses) : null, responses: doc.csat.responses },
    nps: { score: doc.nps.responses ? round(((doc.nps.promoters - doc.nps.detractors) * 100) / doc.nps.responses) : null, ...doc.nps },
  };
}

/** A customer's loyalty tier as loyalty last published it: the tier segment of a response. */
export interface CustomerTierDoc { customerId: string; tier: string; on: string }

export const customerTierKey = (e: EventEnvelope) => (isEventOf(e, 'LoyaltyTierChanged') ? e.data.customerId : undefined);

export function evolveCustomerTier(doc: CustomerTierDoc | undefined, e: EventEnvelope): CustomerTierDoc | null {
  return isEventOf(e, 'LoyaltyTierChanged') ? { customerId: e.data.customerId, tier: e.data.tier, on: e.data.on } : doc ?? null;
}
