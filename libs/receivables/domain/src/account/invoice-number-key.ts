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

/** Invoice-number-like tokens of a remittance text, in the order written ("INV-000123", "inv 130", "INV2026-7"). */
export function remittanceReferences(remittance: string): string[] {
  return remittance.match(/[A-Za-z]{1,10}[ \-#/:._]{0,2}[0-9]+(?:[-/][0-9]+)*/g) ?? [];
}

/** A deduction the payer states ("less 2%", "minus 2.5 %", "-2%"), as a percent; null when none. */
export function remittanceDeductionPercent(remittance: string): number | null {
  const match = remittance.match(/(?:less|minus|deduct(?:ed|ing)?|discount|-)\s*([0-9]{1,2}(?:\.[0-9]{1,2})?)\s*%/i);
  return match ? Number(match[1]) : null;
}
