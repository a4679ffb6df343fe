/**
 * An invoice number as a remittance may write it: letters and digit groups, separators and
 * leading zeros ignored, so "INV-000123", "inv 123" and "INV123" all read `INV-123`. The same
 * key is the invoice-number lookup (written with the invoice; the SQL backfill in receivables'
 * migrations computes it the same way).
 */
export function invoiceNumberKey(text: string): string {
  const parts = text.toUpperCase().match(/[A-Z]+|[0-9]+/g) ?? [];
  return parts.map((p) => (/^[0-9]/.test(p) ? p.replace(/^0+(?=[0-9])/, '') : p)).join('-');
}

/** Words before a number that make it a deduction, not an invoice ("less 2%"). */
const NOT_A_REFERENCE = /^(less|minus|deduct|deducted|discount|net|total|approx)$/i;

/**
 * Invoice-number-like tokens of a remittance text, in the order written ("INV-000123",
 * "inv 130", "INV2026-7"): letters, at most two separators, digit groups — not a percentage.
 */
export function remittanceReferences(remittance: string): string[] {
  const tokens = remittance.match(/[A-Za-z]{1,10}[ \-#/:._]{0,2}[0-9]+(?:[-/][0-9]+)*(?![0-9.]*\s*%)/g) ?? [];
  return tokens.filter((t) => !NOT_A_REFERENCE.test(t.match(/^[A-Za-z]+/)![0]));
}

/** A deduction the payer states ("less 2%", "minus 2.5 %", "-2%"), as a percent; null when none. */
export function remittanceDeductionPercent(remittance: string): number | null {
  const match = remittance.match(/(?:less|minus|deduct(?:ed|ing)?|discount|-)\s*([0-9]{1,2}(?:\.[0-9]{1,2})?)\s*%/i);
  return match ? Number(match[1]) : null;
}
