import { AllocationV1, InstallmentV1 } from '@crm/contracts';
import { AllocationPart } from './loyalty-account.decider';

/** Loyalty's copy of one invoice: its installments and how much of them is settled (payments, discounts, credit notes). */
export interface LoyaltyInvoice { invoiceId: string; customerId: string; currency: string; installments: InstallmentV1[]; settled: number }

/**
 * Which installments an allocation pays, as receivables settles them: the earliest installment
 * not yet covered first. An allocation to an invoice loyalty never saw is taken as due on the
 * payment's day (on time). Moves `invoice.settled` in place; the discount settles after the cash.
 */
export function splitAllocation(invoice: LoyaltyInvoice | undefined, allocation: AllocationV1, paidOn: string): AllocationPart[] {
  const { invoiceId, amount, kind } = allocation;
  if (!invoice || invoice.installments.length === 0) return [{ invoiceId, amount, dueDate: paidOn, kind }];
  const parts: AllocationPart[] = [];
  let covered = invoice.settled;
  let left = amount;
  for (const installment of invoice.installments) {
    if (left <= 0) break;
    const open = Math.max(0, installment.amount - Math.max(0, covered));
    covered -= installment.amount;
    if (open === 0) continue;
    const take = Math.min(open, left);
    parts.push({ invoiceId, amount: take, dueDate: installment.dueDate, kind });
    left -= take;
  }
  // Beyond the last installment (an overpayment of the invoice): due with the last one.
  if (left > 0) parts.push({ invoiceId, amount: left, dueDate: invoice.installments[invoice.installments.length - 1].dueDate, kind });
  invoice.settled += amount + allocation.discount;
  return parts;
}
