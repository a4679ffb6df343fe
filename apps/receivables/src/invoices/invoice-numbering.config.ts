import { InvoiceNumbering } from '@crm/receivables-domain';

/** Injection token of the invoice numbering read from the environment at start. */
export const INVOICE_NUMBERING = Symbol('INVOICE_NUMBERING');

/**
 * `INVOICE_NUMBER_PREFIX` (default `INV`: 1–16 upper-case letters, digits or `_`, starting with a
 * letter) and `INVOICE_NUMBER_SERIES` (`yearly`, the default: a series per issue year,
 * `INV-2031-000001`; or `single`: `INV-000001`). A bad value stops the start.
 */
export function invoiceNumbering(env: Record<string, string | undefined>): InvoiceNumbering {
  const prefix = env.INVOICE_NUMBER_PREFIX || 'INV';
  const series = env.INVOICE_NUMBER_SERIES || 'yearly';
  const problems: string[] = [];
  if (!/^[A-Z][A-Z0-9_]{0,15}$/.test(prefix)) problems.push(`INVOICE_NUMBER_PREFIX must be 1-16 upper-case letters, digits or _ starting with a letter, not '${prefix}'`);
  if (series !== 'yearly' && series !== 'single') problems.push(`INVOICE_NUMBER_SERIES must be yearly or single, not '${series}'`);
  if (problems.length) throw new Error(problems.join('; '));
  return { prefix, series: series as InvoiceNumbering['series'] };
}
