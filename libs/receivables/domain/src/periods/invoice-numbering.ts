/** How invoice numbers read: `<prefix>-<year>-<000001>` (a series per issue year) or `<prefix>-<000001>` (one series). */
export interface InvoiceNumbering { prefix: string; series: 'yearly' | 'single' }

/** The series an invoice's number comes from: its issue date's year by default. */
export function invoiceSeries(numbering: InvoiceNumbering, issueDate: string): string {
  return numbering.series === 'yearly' ? `${numbering.prefix}-${issueDate.slice(0, 4)}` : numbering.prefix;
}

/** The `n`th number of a series, zero-padded to six digits (more digits once a series passes 999,999). */
export function invoiceNumber(series: string, n: number): string {
  return `${series}-${String(n).padStart(6, '0')}`;
}
