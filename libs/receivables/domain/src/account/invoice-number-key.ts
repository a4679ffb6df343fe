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

/** Words that join references rather than prefix them ("INV-1 and 2026-2"). */
const JOINING_WORD = /^(and|or|for|of|per|re|plus|with|to)$/i;

/**
 * The key of a yearly-series number without its prefix ("INV-2026-000001" → `2026-1`), so a
 * remittance writing "2026-000001" or "#2026-1" finds it; null for other forms ("INV-000123").
 */
export function yearSeriesKey(key: string): string | null {
  const match = /^[A-Z]+-((?:19|20)[0-9]{2}-[0-9]+)$/.exec(key);
  return match ? match[1] : null;
}

/** A number after a space is a reference's only when it is not an amount ("INV-2026 500.00"). */
const SPACED_NUMBER = '[0-9]+(?![0-9]|[.,][0-9])';
const WITH_PREFIX = `[A-Za-z]{1,10}[ \\-#/:._]{0,2}(?:(?:19|20)[0-9]{2}(?:[-/]{1,2}[0-9]+(?![-/]?[0-9])|[ ]${SPACED_NUMBER})|[0-9]+(?:[-/][0-9]+)*)`;
/** A year-series number without letters ("2026-000001", "#2026-1"), not a date ("2026-03-05"). */
const WITHOUT_PREFIX = '(?<![A-Za-z0-9])#?(?:19|20)[0-9]{2}[-/][0-9]+(?![-/]?[0-9])';
const REFERENCE = new RegExp(`(?:${WITH_PREFIX}|${WITHOUT_PREFIX})(?![0-9.]*\\s*%)`, 'g');

/**
 * Invoice-number-like tokens of a remittance text, in the order written ("INV-000123",
 * "inv 130", "INV2026-7", "inv 2026 1", "2026-000001", "#2026-1"): letters, at most two
 * separators, digit groups — or a year and a number without letters — not a percentage.
 */
export function remittanceReferences(remittance: string): string[] {
  const tokens = remittance.match(REFERENCE) ?? [];
  return tokens.filter((t) => !NOT_A_REFERENCE.test(t.match(/^[A-Za-z]*/)![0]))
    // "and #2026-1": a joining word is not the number's prefix.
    .map((t) => (JOINING_WORD.test(t.match(/^[A-Za-z]*/)![0]) ? t.replace(/^[A-Za-z]+ */, '') : t));
}

/** A deduction the payer states ("less 2%", "minus 2.5 %", "-2%"), as a percent; null when none. */
export function remittanceDeductionPercent(remittance: string): number | null {
  const match = remittance.match(/(?:less|minus|deduct(?:ed|ing)?|discount|-)\s*([0-9]{1,2}(?:\.[0-9]{1,2})?)\s*%/i);
  return match ? Number(match[1]) : null;
}
