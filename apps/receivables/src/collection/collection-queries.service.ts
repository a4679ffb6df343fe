import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { isIsoDate } from '@crm/contracts';
import { BusinessDays, PG_POOL } from '@crm/platform';
import { invoiceAsOf, InvoiceView, ReceivableInvoiceDoc } from '@crm/receivables-domain';
import { Pool } from 'pg';

/** Reads of the collection read model, evaluated as of a business date. */
@Injectable()
export class CollectionQueriesService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool, private readonly days: BusinessDays) {}

  /** `?asOf=` when given (validated), else the last closed business date (null before the first close). */
  async resolveAsOf(asOf?: string): Promise<string | null> {
    if (asOf === undefined) return this.days.lastClosed();
    if (!isIsoDate(asOf)) throw new BadRequestException(`asOf must be a date written YYYY-MM-DD, got "${asOf}"`);
    return asOf;
  }

  /** Invoices open at the end of `asOf`: issued by then and not closed before it. */
  async viewsAsOf(asOf: string, filter: { customerId?: string; currency?: string } = {}): Promise<InvoiceView[]> {
    const { rows } = await this.pool.query(
      `SELECT doc FROM receivable_invoices
        WHERE issue_date <= $1 AND (outstanding > 0 OR closed_on > $1)
          AND ($2::text IS NULL OR customer_id = $2) AND ($3::text IS NULL OR currency = $3)`,
      [asOf, filter.customerId ?? null, filter.currency ?? null]);
    return rows.map((r) => invoiceAsOf(r.doc as ReceivableInvoiceDoc, asOf)).filter((v): v is InvoiceView => v !== null && v.outstanding > 0);
  }

  async docsIssuedBetween(from: string, to: string): Promise<ReceivableInvoiceDoc[]> {
    const { rows } = await this.pool.query('SELECT doc FROM receivable_invoices WHERE issue_date BETWEEN $1 AND $2', [from, to]);
    return rows.map((r) => r.doc);
  }
}
