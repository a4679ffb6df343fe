import { AllocationV1, MatchSuggestionV1, RemittanceDeductionV1, RemittanceMatchingV1, RemittanceReferenceV1 } from '@crm/contracts';
import { AccountState, activeInvoices, earliestUnpaidDueDate, InvoiceState, outstanding } from './account.state';
import { discountFor } from './early-payment-discount';
import { invoiceNumberKey, remittanceDeductionPercent, remittanceReferences } from './invoice-number-key';

/** The rule cash application decided by, recorded with each matching (events before it cite `remittance-v1`, the same without the deduction). */
export const REMITTANCE_RULE = 'remittance-v2: named open invoices of the payer in the payment currency are settled in full, '
  + 'in the order named, while the money covers them; when the money is their outstanding less the percentage the remittance deducts '
  + '(rounded half up on their sum, spread by largest remainder), each is paid less its share and the share stays open unless an earned '
  + 'early-payment discount covers it; the rest stays unapplied with ranked suggestions';

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
 * The deduction a remittance states, applied to the invoices it names: the money is their
 * outstanding less `percent` of its sum, rounded half up to a minor unit (integers throughout),
 * each invoice's share of it by largest remainder (ties in the order named), so the shares add
 * up to the deduction. An invoice whose share is exactly the early-payment discount the receipt
 * date earns is settled with that discount; any other share is short-paid and stays open on the
 * invoice (never written off here). Null when the money is not that amount.
 */
function deductionMatch(named: InvoiceState[], payment: RemittancePayment, percent: number):
  { allocations: AllocationV1[]; shares: Map<string, { share: number; earned: boolean }>; deduction: RemittanceDeductionV1 } | null {
  if (named.length === 0) return null;
  const basisPoints = BigInt(Math.round(percent * 100));
  const owed = named.map((i) => BigInt(outstanding(i)));
  const base = owed.reduce((n, o) => n + o, 0n);
  const total = (base * basisPoints + 5_000n) / 10_000n;
  if (BigInt(payment.amount) !== base - total) return null;
  const exact = owed.map((o) => (o * total) / base);
  const rest = owed.map((o, i) => ({ i, remainder: (o * total) % base }))
    .sort((a, b) => (a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1));
  let left = total - exact.reduce((n, e) => n + e, 0n);
  for (const { i } of rest) {
    if (left === 0n) break;
    exact[i] += 1n;
    left -= 1n;
  }
  const shares = new Map<string, { share: number; earned: boolean }>();
  const allocations = named.map((invoice, i) => {
    const share = Number(exact[i]);
    const earned = share > 0 && discountFor(invoice, payment.receivedOn) === share;
    shares.set(invoice.invoiceId, { share, earned });
    return { invoiceId: invoice.invoiceId, amount: outstanding(invoice) - share, discount: earned ? share : 0, kind: 'payment' as const };
  });
  // A share as large as the invoice's outstanding would pay nothing on it: not a deduction, matched no further.
  if (allocations.some((a) => a.amount <= 0)) return null;
  const shortPaid = named.filter((i) => !shares.get(i.invoiceId)!.earned).reduce((n, i) => n + shares.get(i.invoiceId)!.share, 0);
  return { allocations, shares, deduction: { percent, base: Number(base), amount: Number(total), earnedDiscount: Number(total) - shortPaid, shortPaid,
    rounding: 'half up on the sum of the named outstanding; shares by largest remainder' } };
}

/**
 * Cash application of a payment that names no allocations but sends a remittance text: the
 * invoices it names by number, of this payer and in the payment's currency, are settled in full
 * in the order named while the money covers each — or, when the money is exactly their
 * outstanding less the deduction the remittance states ("less 2%"), each is paid less its share
 * (`deductionMatch`); the rest stays unapplied, with suggestions. Records what it read: each
 * reference, what became of it and why.
 */
export function matchRemittance(state: AccountState, payment: RemittancePayment): { allocations: AllocationV1[]; matching: RemittanceMatchingV1 } {
  const read = readReferences(state, payment);
  const percent = remittanceDeductionPercent(payment.remittance);
  const named = read.map((r) => r.invoice).filter((i): i is InvoiceState => i !== null && open(i, payment.currency));
  const settlesExactly = named.reduce((n, i) => n + exactAmount(i, payment.receivedOn).amount, 0) === payment.amount;
  const deducted = percent !== null && !settlesExactly ? deductionMatch(named, payment, percent) : null;
  let remaining = payment.amount;
  const allocations: AllocationV1[] = [];
  const references: RemittanceReferenceV1[] = [];
  for (const { text, invoice } of read) {
    if (!invoice) {
      references.push({ text, invoiceId: null, number: null, outcome: 'unknown', why: `no invoice of this customer is numbered ${text}` });
      continue;
    }
    const ref = { text, invoiceId: invoice.invoiceId, number: invoice.number };
    if (invoice.currency !== payment.currency) {
      references.push({ ...ref, outcome: 'other-currency', why: `invoice ${invoice.number} is in ${invoice.currency}, the payment in ${payment.currency}` });
    } else if (!open(invoice, payment.currency)) {
      references.push({ ...ref, outcome: 'settled', why: `invoice ${invoice.number} has nothing outstanding${invoice.writtenOff > 0 ? ' (written off)' : ''}` });
    } else if (deducted) {
      const allocation = deducted.allocations.find((a) => a.invoiceId === invoice.invoiceId)!;
      const { share, earned } = deducted.shares.get(invoice.invoiceId)!;
      allocations.push(allocation);
      remaining -= allocation.amount;
      const why = share === 0 ? `number and customer match; ${allocation.amount} settles it (its share of the ${percent}% deducted rounds to 0)`
        : earned ? `number and customer match; paid ${allocation.amount}, its outstanding less its ${share} share of the ${percent}% deducted, which is the early-payment discount it earns`
          : `number and customer match; paid ${allocation.amount}, its outstanding ${outstanding(invoice)} less its ${share} share of the ${percent}% the remittance deducts; `
            + `no early-payment discount covers it, so ${share} stays open on the invoice (short payment)`;
      references.push({ ...ref, outcome: 'applied', ...(earned || share === 0 ? {} : { shortPaid: share }), why });
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
    matching: { rule: REMITTANCE_RULE, references, deductionPercent: percent, ...(deducted ? { deduction: deducted.deduction } : {}),
      suggestions: suggestMatches(state, { ...payment, amount: remaining }, applied) },
  };
}
