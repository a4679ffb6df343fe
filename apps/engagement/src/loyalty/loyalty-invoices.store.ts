import { Injectable } from '@nestjs/common';
import { LoyaltyInvoice } from '@crm/engagement-domain';
import { Queryable } from '@crm/eventing';

/**
 * Loyalty's copy of receivables' invoices (installments, how much is settled), kept by the
 * payments policy in its consumer's transaction: exactly once per event, in the customer's
 * order (receivables keys its messages by customer), rolled back with a failed batch.
 */
@Injectable()
export class LoyaltyInvoicesStore {
  async load(invoiceIds: string[], db: Queryable): Promise<Map<string, LoyaltyInvoice>> {
    if (invoiceIds.length === 0) return new Map();
    const { rows } = await db.query('SELECT invoice_id, customer_id, currency, installments, settled FROM loyalty_invoices WHERE invoice_id = ANY($1::text[])', [invoiceIds]);
    return new Map(rows.map((r) => [r.invoice_id, { invoiceId: r.invoice_id, customerId: r.customer_id, currency: r.currency, installments: r.installments, settled: Number(r.settled) }]));
  }

  async insert(invoice: LoyaltyInvoice, db: Queryable): Promise<void> {
    await db.query(
      `INSERT INTO loyalty_invoices (invoice_id, customer_id, currency, installments, settled) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (invoice_id) DO NOTHING`,
      [invoice.invoiceId, invoice.customerId, invoice.currency, JSON.stringify(invoice.installments), invoice.settled]);
  }

  async settle(invoiceId: string, amount: number, db: Queryable): Promise<void> {
    await db.query('UPDATE loyalty_invoices SET settled = settled + $2 WHERE invoice_id = $1', [invoiceId, amount]);
  }
}
