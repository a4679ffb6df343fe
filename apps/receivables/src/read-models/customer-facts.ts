import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@crm/platform';
import { IssueInvoice } from '@crm/receivables-domain';
import { Pool } from 'pg';

/**
 * Receivables' own copies of other services' facts (customers' registrations, credit's
 * decisions), read before deciding: they answer while those services are down.
 */
@Injectable()
export class CustomerFacts {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async isKnown(customerId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM known_customers WHERE id = $1', [customerId]);
    return (rowCount ?? 0) > 0;
  }

  async creditContext(customerId: string): Promise<IssueInvoice['context']> {
    const [known, credit] = await Promise.all([
      this.isKnown(customerId),
      this.pool.query('SELECT doc FROM credit_positions WHERE id = $1', [customerId]),
    ]);
    const position = credit.rows[0]?.doc;
    return { customerKnown: known, onCreditHold: position?.onHold ?? false, creditLimit: position?.limit ?? null, creditTermsDays: position?.paymentTermsDays ?? null };
  }
}
