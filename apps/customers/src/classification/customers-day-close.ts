import { Inject, Injectable } from '@nestjs/common';
import {
  abcClasses, CustomerRevenue, lifecycleStage, toReporting, trailing12Months,
} from '@crm/customers-domain';
import { DayCloseContext, DayCloseWork, PG_POOL } from '@crm/platform';
import { Pool } from 'pg';
import { CustomerCommands } from '../customer/customer-commands';
import { ClassificationPolicies } from './classification-policies';

type Plan = Map<string, { abc: any; lifecycle: any }>;

/**
 * Customers' day close (ADR 13): ABC ranks every customer against all others, so it is
 * computed once per date from the revenue read model (one pass over all customers, not per
 * event), then each customer whose class or stage differs from what the directory shows gets
 * one RecordClassification (only changes are recorded, so a redelivered close records nothing).
 */
@Injectable()
export class CustomersDayClose implements DayCloseWork {
  private readonly plans = new Map<string, Plan>();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool, private readonly customers: CustomerCommands, private readonly policies: ClassificationPolicies,
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
    const plan: Plan = new Map();
    for (const d of directory) {
      const revenue = revenueOf.get(d.id);
      const invoices = (revenue?.invoices ?? []).filter((i) => i.on <= businessDate);
      const onTimeRatio = invoices.length ? (invoices.length - invoices.filter((i) => revenue!.overdueInvoices.includes(i.invoiceId)).length) / invoices.length : null;
      const facts = { invoiceDates: invoices.map((i) => i.on), onTimeRatio, churnRiskOpen: false, relationshipEnded: false };
      const stage = lifecycleStage(facts, businessDate);
      const abcClass = classes.get(d.id)!;
      if (abcClass === d.abc && stage === d.stage) continue;
      plan.set(d.id, {
        abc: { abcClass, inputs: { trailingRevenue: revenues.find((r) => r.customerId === d.id)!.revenue, totalRevenue: total,
          coveredBefore: coveredBefore.get(d.id) ?? 0, reportingCurrency: policy.reportingCurrency, policyVersion: policy.version } },
        lifecycle: { stage, inputs: { invoices: invoices.length, lastInvoiceOn: invoices.map((i) => i.on).sort().pop() ?? null, onTimeRatio,
          churnRiskOpen: false, relationshipEnded: false } },
      });
    }
    this.plans.clear();
    this.plans.set(businessDate, plan);
    return [...plan.keys()].sort();
  }

  async close(customerId: string, businessDate: string, context: DayCloseContext): Promise<string[]> {
    const planned = this.plans.get(businessDate)?.get(customerId);
    if (!planned) return [];
    return this.customers.execute(customerId, { type: 'RecordClassification', data: { customerId, businessDate, ...planned } }, {
      metadata: context.metadata, now: context.now,
      idempotency: { key: `${context.idempotencyKey}:classification`, request: { businessDate } },
      respond: (events) => events.map((e) => e.type),
    });
  }
}
