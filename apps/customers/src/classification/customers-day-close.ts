import { Inject, Injectable } from '@nestjs/common';
import { daysBetween } from '@crm/contracts';
import { abcClasses, customerLifetimeValue, CustomerRevenue, lifecycleStage, RecordClassification, RFM_RULE, rfmRanks, toReporting, trailing12Months } from '@crm/customers-domain';
import { DayCloseContext, DayCloseWork, PG_POOL } from '@crm/platform';
import { Pool } from 'pg';
import { CustomerCommands } from '../customer/customer-commands';
import { ClassificationPolicies } from './classification-policies';
import { EmailBlindIndex } from '../personal-data/email-blind-index';

type Classification = Required<Pick<RecordClassification['data'], 'abc' | 'lifecycle' | 'value'>>;

interface Plan {
  classification: Map<string, Classification>;
  /** Customer → contacts whose care date (birthday month and day) is the business date. */
  care: Map<string, string[]>;
}

/**
 * Customers' day close (ADR 13): ABC and the RFM quintiles rank every customer against all
 * others, so they are computed once per date from the revenue read model (one pass over all
 * customers, not per event), with the lifecycle (engagement's open churn-risk flags make it
 * at_risk) and CLV; each customer whose class, stage, RFM or CLV differs from what the
 * directory shows gets one RecordClassification (only changes are recorded, so a redelivered
 * close records nothing);
 * contacts whose birthday's month and day is the date get ContactCareDateDue (AnnounceCareDates).
 */
@Injectable()
export class CustomersDayClose implements DayCloseWork {
  private readonly plans = new Map<string, Plan>();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool, private readonly customers: CustomerCommands, private readonly policies: ClassificationPolicies,
    private readonly blindIndex: EmailBlindIndex,
  ) {}

  async due(businessDate: string): Promise<string[]> {
    // Amounts in a currency the policy has no rate for are left out of the ranking (not guessed).
    const policy = await this.policies.current();
    const { rows: directory } = await this.pool.query(
      `SELECT id, doc->>'abcClass' AS abc, doc->>'stage' AS stage, doc->'rfm' AS rfm, doc->'clv' AS clv FROM customers_directory`);
    const { rows: revenueRows } = await this.pool.query('SELECT id, doc FROM customer_revenue');
    const { rows: flagged } = await this.pool.query('SELECT id FROM customer_churn_risk WHERE open');
    const churnRiskOpen = new Set<string>(flagged.map((r) => r.id));
    const revenueOf = new Map<string, CustomerRevenue>(revenueRows.map((r) => [r.id, r.doc]));
    const reporting = (entries: Array<{ on: string; amount: number; currency: string }>) => entries
      .filter((e) => e.on <= businessDate && (e.currency === policy.reportingCurrency || policy.rates[e.currency] !== undefined))
      .map((e) => ({ on: e.on, amount: toReporting(e.amount, e.currency, policy) }));
    const measures = new Map(directory.map((d) => {
      const revenue = revenueOf.get(d.id);
      const invoices = (revenue?.invoices ?? []).filter((i) => i.on <= businessDate);
      const payments = reporting(revenue?.payments ?? []);
      const lastActivityOn = [...invoices.map((i) => i.on), ...payments.map((p) => p.on)].sort().pop() ?? null;
      return [d.id as string, {
        invoices, lastActivityOn, revenue: trailing12Months(reporting(invoices), businessDate), frequency: trailing12Months(invoices.map((i) => ({ on: i.on, amount: 1 })), businessDate),
        paidToDate: payments.reduce((sum, p) => sum + p.amount, 0), trailingPaid: trailing12Months(payments, businessDate),
      }];
    }));
    const revenues = directory.map((d) => ({ customerId: d.id as string, revenue: measures.get(d.id)!.revenue }));
    const classes = abcClasses(revenues);
    const total = revenues.reduce((s, r) => s + Math.max(0, r.revenue), 0);
    const ranked = [...revenues].sort((a, b) => b.revenue - a.revenue || (a.customerId < b.customerId ? -1 : 1));
    const coveredBefore = new Map<string, number>();
    ranked.reduce((covered, r) => { coveredBefore.set(r.customerId, covered); return covered + Math.max(0, r.revenue); }, 0);
    const rfm = rfmRanks(directory.map((d) => {
      const m = measures.get(d.id)!;
      return { customerId: d.id, recencyDays: m.lastActivityOn === null ? null : daysBetween(m.lastActivityOn, businessDate), frequency: m.frequency, monetary: m.revenue };
    }));
    const plan: Plan = { classification: new Map(), care: new Map() };
    for (const d of directory) {
      const revenue = revenueOf.get(d.id);
      const m = measures.get(d.id)!;
      const { invoices } = m;
      const onTimeRatio = invoices.length ? (invoices.length - invoices.filter((i) => revenue!.overdueInvoices.includes(i.invoiceId)).length) / invoices.length : null;
      const riskOpen = churnRiskOpen.has(d.id);
      const facts = { invoiceDates: invoices.map((i) => i.on), onTimeRatio, churnRiskOpen: riskOpen, relationshipEnded: false };
      const stage = lifecycleStage(facts, businessDate);
      const abcClass = classes.get(d.id)!;
      const rank = rfm.get(d.id)!;
      const clv = { amount: customerLifetimeValue(m.paidToDate, m.trailingPaid, riskOpen, policy), currency: policy.reportingCurrency };
      const sameValue = d.rfm && d.clv && d.rfm.r === rank.score.r && d.rfm.f === rank.score.f && d.rfm.m === rank.score.m
        && d.clv.amount === clv.amount && d.clv.currency === clv.currency;
      if (abcClass === d.abc && stage === d.stage && sameValue) continue;
      plan.classification.set(d.id, {
        abc: { abcClass, inputs: { trailingRevenue: m.revenue, totalRevenue: total,
          coveredBefore: coveredBefore.get(d.id) ?? 0, reportingCurrency: policy.reportingCurrency, policyVersion: policy.version } },
        lifecycle: { stage, inputs: { invoices: invoices.length, lastInvoiceOn: invoices.map((i) => i.on).sort().pop() ?? null, onTimeRatio,
          churnRiskOpen: riskOpen, relationshipEnded: false } },
        value: { rfm: rank.score, clv, inputs: {
          recencyDays: m.lastActivityOn === null ? null : daysBetween(m.lastActivityOn, businessDate), lastActivityOn: m.lastActivityOn,
          frequency: m.frequency, monetary: m.revenue, customersRanked: rank.ranked, strictlyWorse: rank.strictlyWorse,
          paidToDate: m.paidToDate, trailingPaid: m.trailingPaid, retention: riskOpen ? policy.retention.atRisk : policy.retention.base,
          churnRiskOpen: riskOpen, reportingCurrency: policy.reportingCurrency, rule: RFM_RULE, policyVersion: policy.version,
        } },
      });
    }
    // Care dates by the blind index of the date's month and day: birthdays stay sealed.
    const careIndex = this.blindIndex.careDateOf(businessDate);
    const { rows: care } = await this.pool.query(
      `SELECT id, doc->'contactCareDates' AS dates FROM customers_directory WHERE doc->'careDateIndexes' ? $1`, [careIndex]);
    for (const row of care) {
      plan.care.set(row.id, Object.entries(row.dates as Record<string, string | null>).filter(([, index]) => index === careIndex).map(([contactId]) => contactId));
    }
    this.plans.clear();
    this.plans.set(businessDate, plan);
    return [...new Set([...plan.classification.keys(), ...plan.care.keys()])].sort();
  }

  async close(customerId: string, businessDate: string, context: DayCloseContext): Promise<string[]> {
    const plan = this.plans.get(businessDate);
    const classification = plan?.classification.get(customerId);
    const care = plan?.care.get(customerId);
    const options = (step: string) => ({
      metadata: context.metadata, now: context.now,
      idempotency: { key: `${context.idempotencyKey}:${step}`, request: { businessDate } },
      respond: (events: Array<{ type: string }>) => events.map((e) => e.type),
    });
    return [
      ...(classification ? await this.customers.execute(customerId, { type: 'RecordClassification', data: { customerId, businessDate, ...classification } }, options('classification')) : []),
      ...(care?.length ? await this.customers.execute(customerId, { type: 'AnnounceCareDates', data: { customerId, on: businessDate, contactIds: care } }, options('care')) : []),
    ];
  }
}
