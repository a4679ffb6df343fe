import { eventsTopic } from '@crm/contracts';
import { CustomerRevenue, customerRevenueKey, evolveCustomerRevenue } from '@crm/customers-domain';
import { DocumentProjection } from '@crm/eventing';

/** Receivables' invoices, payments and overdue invoices per customer: what the day close classifies from. */
export function customerRevenueProjection(prefix: string): DocumentProjection<CustomerRevenue> {
  return {
    name: 'customer-revenue',
    table: 'customer_revenue',
    topics: [eventsTopic('receivables', prefix)],
    keyOf: customerRevenueKey,
    evolve: (doc, event, key) => evolveCustomerRevenue(doc, event, key),
  };
}
