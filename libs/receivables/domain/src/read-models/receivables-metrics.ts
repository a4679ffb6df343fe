import { AGING_BUCKETS } from '../receivables-policy';
import { invoiceAsOf, ReceivableInvoiceDoc } from './receivable-invoice.read-model';
import { periodBounds } from './collection-reports';

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Period metrics per currency (DOMAIN.md): DSO = ending receivables ÷ credit sales × days;
 * AR turnover = credit sales ÷ average receivables; CEI = collected ÷ collectible × 100 with
 * collectible excluding what is not yet due at the end; bad-debt rate = written off ÷ credit
 * sales. Ratios are null where their denominator is zero.
 */
export function receivablesMetrics(docs: ReceivableInvoiceDoc[], period: string) {
  const { first, last, days, dayBefore } = periodBounds(period);
  const currencies = [...new Set(docs.map((d) => d.currency))].sort();
  return currencies.map((currency) => {
    const mine = docs.filter((d) => d.currency === currency);
    const at = (date: string) => mine.map((d) => invoiceAsOf(d, date)).filter((v) => v !== null);
    const arBegin = at(dayBefore).reduce((n, v) => n + v.outstanding, 0);
    const endViews = at(last);
    const arEnd = endViews.reduce((n, v) => n + v.outstanding, 0);
    const notDueEnd = endViews.filter((v) => v.bucket === AGING_BUCKETS[0].name).reduce((n, v) => n + v.outstanding, 0);
    const creditSales = mine.filter((d) => d.issueDate >= first && d.issueDate <= last).reduce((n, d) => n + d.total, 0);
    const writtenOff = mine.flatMap((d) => d.changes).filter((c) => c.on >= first && c.on <= last).reduce((n, c) => n + c.writtenOff, 0);
    const collectible = arBegin + creditSales - notDueEnd;
    return {
      currency, period, creditSales, receivablesAtStart: arBegin, receivablesAtEnd: arEnd, writtenOff,
      dso: creditSales > 0 ? round2((arEnd / creditSales) * days) : null,
      arTurnover: arBegin + arEnd > 0 ? round2(creditSales / ((arBegin + arEnd) / 2)) : null,
      collectionEffectivenessIndex: collectible > 0 ? round2(((arBegin + creditSales - arEnd) / collectible) * 100) : null,
      badDebtRate: creditSales > 0 ? round2(writtenOff / creditSales) : null,
    };
  });
}
