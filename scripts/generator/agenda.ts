import { addDays } from '@crm/contracts';

/** Monday to Friday: the days users send commands and the services close. */
export function isBusinessDay(date: string): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The date itself when it is a business day, else the next one. */
export function onBusinessDay(date: string): string {
  let d = date;
  while (!isBusinessDay(d)) d = addDays(d, 1);
  return d;
}

export type Action =
  | { kind: 'register'; customer: number }
  | { kind: 'invoice'; customer: number }
  | { kind: 'pay'; customer: number; invoiceId: string; amount: number; seq: number }
  | { kind: 'dispute'; customer: number; invoiceId: string; resolveOn: string }
  | { kind: 'resolve-dispute'; customer: number; invoiceId: string }
  | { kind: 'promise'; customer: number; invoiceId: string; promisedDate: string; amount: number }
  | { kind: 'write-off'; customer: number; invoiceId: string }
  | { kind: 'approve-write-off'; customer: number; requestId: string }
  | { kind: 'complaint'; customer: number }
  | { kind: 'complaint-step'; customer: number; complaintId: string; step: 'acknowledge' | 'resolve' }
  | { kind: 'survey'; customer: number; surveyKind: 'csat' | 'nps'; score: number };

/**
 * What happens on which day, only as far ahead as something is already planned: memory holds
 * the pending actions (a few per customer), never the whole history. Dates after the end are
 * dropped: the simulated year stops there.
 */
export class Agenda {
  private readonly days = new Map<string, Action[]>();
  private pending = 0;

  constructor(private readonly end: string) {}

  /** On the date if it is a business day, else the next one; false when that is after the end. */
  add(date: string, action: Action): boolean {
    const day = onBusinessDay(date);
    if (day > this.end) return false;
    const list = this.days.get(day);
    if (list) list.push(action);
    else this.days.set(day, [action]);
    this.pending++;
    return true;
  }

  /** The day's actions, removed from the agenda (registrations first: the rest may need them known). */
  take(date: string): Action[] {
    const list = this.days.get(date) ?? [];
    this.days.delete(date);
    this.pending -= list.length;
    return list;
  }

  get size(): number {
    return this.pending;
  }
}
