import { AllocationV1, MatchSuggestionV1, RemittanceMatchingV1, RemittanceReferenceV1 } from '@crm/contracts';
import { AccountState, activeInvoices, earliestUnpaidDueDate, InvoiceState, outstanding } from './account.state';
import { discountFor } from './early-payment-discount';
import { invoiceNumberKey, remittanceDeductionPercent, remittanceReferences } from './invoice-number-key';

/** The rule cash application decided by, recorded with each matching. */
export const REMITTANCE_RULE = 'remittance-v1: named open invoices of the payer in the payment currency are settled in full, '
  + 'in the order named, while the money covers them; the rest stays unapplied with ranked suggestions';

export interface RemittancePayment { amount: number; currency: string; receivedOn: string; remittance: string }

/** What settles the invoice exactly for money received on `receivedOn`: its outstanding less an early-payment discount earned. */
function exactAmount(invoice: InvoiceState, receivedOn: string): { amount: number; discount: number } {
  const discount = discountFor(invoice, receivedOn);
  return { amount: outstanding(invoice) - discount, discount };
}

const open = (invoice: InvoiceState, currency: string) =>
  invoice.currency === currency && invoice.writtenOff === 0 && outstanding(invoice) > 0;

function oldestDueFirst(a: InvoiceState, b: InvoiceState): number {
  return (earliestUnpaidDueDate(a) ?? '').localeCompare(earliestUnpaidDueDate(b) ?? '') || a.number.localeCompare(b.number);
}

/** The remittance's references as invoices of this account (first mention of each invoice only). */
function readReferences(state: AccountState, payment: RemittancePayment): Array<{ text: string; invoice: InvoiceState | null }> {
  const seen = new Set<string>();
  const found: Array<{ text: string; invoice: InvoiceState | null }> = [];
  for (const text of remittanceReferences(payment.remittance)) {
    const invoiceId = state.invoiceNumbers[invoiceNumberKey(text)];
    if (invoiceId && seen.has(invoiceId)) continue;
    if (invoiceId) seen.add(invoiceId);
    found.push({ text, invoice: invoiceId ? state.invoices[invoiceId] : null });
  }
  return found;
}

/**
 * Ranked guesses for money `amount` not yet applied: invoices the remittance names (surest when
 * the amount settles them exactly, or is their outstanding less the deduction the payer states),
 * then open invoices whose exact amount equals the money (by amount alone: less sure, and less
 * so when several do). Best first; ties oldest due first.
 */
export function suggestMatches(state: AccountState, payment: RemittancePayment, exclude: ReadonlySet<string> = new Set()): MatchSuggestionV1[] {
  if (payment.amount <= 0) return [];
  const deduction = remittanceDeductionPercent(payment.remittance);
  const suggestions: Array<MatchSuggestionV1 & { invoice: InvoiceState }> = [];
  const named = new Set<string>();
  for (const { invoice } of readReferences(state, payment)) {
    if (!invoice || exclude.has(invoice.invoiceId) || !open(invoice, payment.currency)) continue;
    named.add(invoice.invoiceId);
    const exact = exactAmount(invoice, payment.receivedOn).amount;
    const lessDeduction = deduction === null ? null : Math.round((exact * (10_000 - Math.round(deduction * 100))) / 10_000);
    const amount = Math.min(payment.amount, exact);
    if (payment.amount === exact) suggestions.push({ invoiceId: invoice.invoiceId, number: invoice.number, amount, confidence: 0.95, why: `number ${invoice.number} named; the money settles it exactly`, invoice });
    else if (lessDeduction !== null && payment.amount === lessDeduction) {
      suggestions.push({ invoiceId: invoice.invoiceId, number: invoice.number, amount, confidence: 0.9, invoice,
        why: `number ${invoice.number} named; the money is its outstanding ${exact} less the ${deduction}% the remittance deducts (no early-payment discount covers it)` });
    } else {
      suggestions.push({ invoiceId: invoice.invoiceId, number: invoice.number, amount, confidence: 0.7, invoice,
        why: `number ${invoice.number} named; ${exact} settles it, ${payment.amount} is unapplied` });
    }
  }
  const byAmount = activeInvoices(state).filter((i) => open(i, payment.currency) && !named.has(i.invoiceId) && !exclude.has(i.invoiceId)
    && exactAmount(i, payment.receivedOn).amount === payment.amount);
  for (const invoice of byAmount) {
    suggestions.push({ invoiceId: invoice.invoiceId, number: invoice.number, amount: payment.amount, invoice,
      confidence: byAmount.length === 1 ? 0.6 : 0.4,
      why: `not named; the money equals what settles ${invoice.number}${byAmount.length === 1 ? '' : ` (as it does ${byAmount.length - 1} other invoice(s))`}` });
  }
  return suggestions.sort((a, b) => b.confidence - a.confidence || oldestDueFirst(a.invoice, b.invoice))
    .map(({ invoice: _i, ...s }) => s);
}

/**
 * Cash application of a payment that names no allocations but sends a remittance text: the
 * invoices it names by number, of this payer and in the payment's currency, are settled in full
 * in the order named while the money covers each; the rest stays unapplied, with suggestions.
 * Records what it read: each reference, what became of it and why.
 */
export function matchRemittance(state: AccountState, payment: RemittancePayment): { allocations: AllocationV1[]; matching: RemittanceMatchingV1 } {
  let remaining = payment.amount;
  const allocations: AllocationV1[] = [];
  const references: RemittanceReferenceV1[] = [];
  for (const { text, invoice } of readReferences(state, payment)) {
    if (!invoice) {
      references.push({ text, invoiceId: null, number: null, outcome: 'unknown', why: `no invoice of this customer is numbered ${text}` });
      continue;
    }
    const ref = { text, invoiceId: invoice.invoiceId, number: invoice.number };
    if (invoice.currency !== payment.currency) {
      references.push({ ...ref, outcome: 'other-currency', why: `invoice ${invoice.number} is in ${invoice.currency}, the payment in ${payment.currency}` });
    } else if (!open(invoice, payment.currency)) {
      references.push({ ...ref, outcome: 'settled', why: `invoice ${invoice.number} has nothing outstanding${invoice.writtenOff > 0 ? ' (written off)' : ''}` });
    } else {
      const exact = exactAmount(invoice, payment.receivedOn);
      if (exact.amount <= remaining) {
        allocations.push({ invoiceId: invoice.invoiceId, amount: exact.amount, discount: exact.discount, kind: 'payment' });
        remaining -= exact.amount;
        references.push({ ...ref, outcome: 'applied', why: exact.discount > 0
          ? `number and customer match; ${exact.amount} settles it with the early-payment discount of ${exact.discount}`
          : `number and customer match; ${exact.amount} settles it` });
      } else {
        references.push({ ...ref, outcome: 'suggested', why: `number and customer match, but ${exact.amount} settles it and only ${remaining} is left` });
      }
    }
  }
  const applied = new Set(allocations.map((a) => a.invoiceId));
  return {
    allocations,
    matching: { rule: REMITTANCE_RULE, references, deductionPercent: remittanceDeductionPercent(payment.remittance),
      suggestions: suggestMatches(state, { ...payment, amount: remaining }, applied) },
  };
}
