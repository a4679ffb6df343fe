import { Inject, Injectable } from '@nestjs/common';
import {
  abcClasses, CustomerRevenue, lifecycleStage, toReporting, trailing12Months,
} from '@crm/customers-domain';
import { DayCloseContext, DayCloseWork, PG_POOL } from '@crm/platform';
import { Pool } from 'pg';
import { CustomerCommands } from '../customer/customer-commands';
import { ClassificationPolicies } from './classification-policies';
import { EmailBlindIndex } from '../personal-data/email-blind-index';

interface Plan {
  classification: Map<string, { abc: any; lifecycle: any }>;
  /** Customer → contacts whose care date (birthday month and day) is the business date. */
  care: Map<string, string[]>;
}

/**
 * Customers' day close (ADR 13): ABC ranks every customer against all others, so it is
 * computed once per date from the revenue read model (one pass over all customers, not per
 * event), then each customer whose class or stage differs from what the directory shows gets
 * one RecordClassification (only changes are recorded, so a redelivered close records nothing);
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
    const { rows: directory } = await this.pool.query(`SELECT id, doc->>'abcClass' AS abc, doc->>'stage' AS stage FROM customers_directory`);
    const { rows: revenueRows } = await this.pool.query('SELECT id, doc FROM customer_revenue');
    const revenueOf = new Map<string, CustomerRevenue>(revenueRows.map((r) => [r.id, r.doc]));
    const reporting = (entries: Array<{ on: string; amount: number; currency: string }>) => entries
      .filter((e) => e.currency === policy.reportingCurrency || policy.rates[e.currency] !== undefined)
      .map((e) => ({ on: e.on, amount: toReporting(e.amount, e.currency, policy) }));
    const revenues = directory.map((d) => ({ customerId: d.id as string, revenue: trailing12Months(reporting(revenueOf.get(d.id)?.invoices ?? []), businessDate) }));
    const classes = abcClasses(revenues);
    const total = revenues.reduce((s, r) => s + Math.max(0, r.revenue), 0);
    const ranked = [...revenues].sort((a, b) => b.revenue - a.revenue || (a.customerId < b.customerId ? -1 : 1));
    const coveredBefore = new Map<string, number>();
    ranked.reduce((covered, r) => { coveredBefore.set(r.customerId, covered); return covered + Math.max(0, r.revenue); }, 0);
    const plan: Plan = { classification: new Map(), care: new Map() };
    for (const d of directory) {
      const revenue = revenueOf.get(d.id);
      const invoices = (revenue?.invoices ?? []).filter((i) => i.on <= businessDate);
      const onTimeRatio = invoices.length ? (invoices.length - invoices.filter((i) => revenue!.overdueInvoices.includes(i.invoiceId)).length) / invoices.length : null;
      const facts = { invoiceDates: invoices.map((i) => i.on), onTimeRatio, churnRiskOpen: false, relationshipEnded: false };
      const stage = lifecycleStage(facts, businessDate);
      const abcClass = classes.get(d.id)!;
      if (abcClass === d.abc && stage === d.stage) continue;
      plan.classification.set(d.id, {
        abc: { abcClass, inputs: { trailingRevenue: revenues.find((r) => r.customerId === d.id)!.revenue, totalRevenue: total,
          coveredBefore: coveredBefore.get(d.id) ?? 0, reportingCurrency: policy.reportingCurrency, policyVersion: policy.version } },
        lifecycle: { stage, inputs: { invoices: invoices.length, lastInvoiceOn: invoices.map((i) => i.on).sort().pop() ?? null, onTimeRatio,
          churnRiskOpen: false, relationshipEnded: false } },
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
