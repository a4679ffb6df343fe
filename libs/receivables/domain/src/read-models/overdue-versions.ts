import { ReceivableInvoiceDoc, invoiceAsOf } from './receivable-invoice.read-model';

/**
 * One stretch of business dates over which an open invoice's listed fields stay the same:
 * valid from `validFrom` up to (not including) `validTo` (null: still valid). Days overdue and
 * the aging bucket are not in it: they follow from `dueDate` and the date asked about, so a
 * day passing changes no row.
 */
export interface OverdueVersion {
  invoiceId: string;
  customerId: string;
  number: string;
  currency: string;
  validFrom: string;
  validTo: string | null;
  outstanding: number;
  dueDate: string;
  dunningLevel: number;
  promisedDate: string | null;
  disputed: boolean;
}

/** Every business date on which something the overdue list shows may change. */
function breakpoints(doc: ReceivableInvoiceDoc): string[] {
  const dates = new Set<string>([doc.issueDate]);
  for (const c of doc.changes) dates.add(c.on);
  for (const d of doc.dunning) dates.add(d.on);
  for (const p of doc.disputes) [p.from, p.to].forEach((x) => x && dates.add(x));
  for (const p of doc.promises) [p.recordedOn, p.resolvedOn].forEach((x) => x && dates.add(x));
  return [...dates].filter((d) => d >= doc.issueDate).sort();
}

const sameFields = (a: OverdueVersion, b: OverdueVersion) => a.outstanding === b.outstanding && a.dueDate === b.dueDate
  && a.dunningLevel === b.dunningLevel && a.promisedDate === b.promisedDate && a.disputed === b.disputed;

/**
 * The invoice's history as the overdue list sees it: the stretches while it was open, each
 * evaluated by `invoiceAsOf` at its first date (pure). Bounded by the invoice's own changes.
 */
export function overdueVersions(doc: ReceivableInvoiceDoc): OverdueVersion[] {
  const dates = breakpoints(doc);
  const versions: OverdueVersion[] = [];
  let previous: OverdueVersion | undefined;
  dates.forEach((on, i) => {
    const view = invoiceAsOf(doc, on);
    const validTo = dates[i + 1] ?? null;
    if (!view || view.outstanding <= 0 || view.dueDate === null) {
      previous = undefined;
      return;
    }
    const version: OverdueVersion = { invoiceId: doc.invoiceId, customerId: doc.customerId, number: doc.number, currency: doc.currency,
      validFrom: on, validTo, outstanding: view.outstanding, dueDate: view.dueDate, dunningLevel: view.dunningLevel,
      promisedDate: view.promisedDate, disputed: view.disputed };
    if (previous && sameFields(previous, version)) {
      previous.validTo = validTo;
      return;
    }
    versions.push(version);
    previous = version;
  });
  return versions;
}

/** The version valid at the end of `date`, if the invoice was open then. */
export function versionAt(versions: OverdueVersion[], date: string | null): OverdueVersion | undefined {
  if (date === null) return undefined;
  return versions.find((v) => v.validFrom <= date && (v.validTo === null || v.validTo > date));
}
