import { Inject, Injectable } from '@nestjs/common';
import { domainError } from '@crm/contracts';
import { CustomerDirectoryEntry } from '@crm/engagement-domain';
import { PG_POOL } from '@crm/platform';
import { Pool } from 'pg';

/**
 * What engagement knows of a customer, from its directory (customers' events): the one place
 * engagement's commands and day close read a customer's class, manager, consent and region.
 * The directory follows the customers topic, so a just-registered customer may not be here yet.
 */
@Injectable()
export class EngagementCustomers {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async find(customerId: string): Promise<CustomerDirectoryEntry | null> {
    const { rows } = await this.pool.query('SELECT doc FROM customer_directory WHERE id = $1', [customerId]);
    return rows[0]?.doc ?? null;
  }

  /** The customer, or a 422 naming `field`: engagement records nothing for a customer it does not know. */
  async require(customerId: string, field = 'customerId'): Promise<CustomerDirectoryEntry> {
    const entry = await this.find(customerId);
    if (!entry) throw domainError('unknown-customer', 'refused', `customer ${customerId} is not known to engagement`, field);
    return entry;
  }

  /** Several at once (day close, lists): one query, not one per customer. */
  async findMany(customerIds: string[]): Promise<Map<string, CustomerDirectoryEntry>> {
    if (customerIds.length === 0) return new Map();
    const { rows } = await this.pool.query('SELECT id, doc FROM customer_directory WHERE id = ANY($1::text[])', [customerIds]);
    return new Map(rows.map((r) => [r.id, r.doc]));
  }
}
