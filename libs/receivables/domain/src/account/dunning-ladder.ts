import { addDays } from '@crm/contracts';
import { DUNNING_LADDER, DunningLadder } from '../receivables-policy';
import { InvoiceState } from './account.state';

export interface DunningStep { level: number; action: string; fromDays: number; on: string }

/**
 * The next level of the ladder and the business date it falls due: its threshold (days past
 * `dueDate`), but no earlier than the day after the level before it was raised (one level per
 * closed business day, so each level's action is recorded on the day it can be acted on, even
 * when a close is late) and than the day the ladder last resumed (a dispute resolved, a promise's
 * outcome). A close raises the level when this date is on or before the date it closes.
 */
export function nextDunningStep(invoice: InvoiceState, dueDate: string, after = { level: invoice.dunningLevel, on: lastStepOn(invoice) },
  ladder: DunningLadder = DUNNING_LADDER): DunningStep | null {
  const step = ladder.find((s) => s.level > after.level);
  if (!step) return null;
  const candidates = [addDays(dueDate, step.fromDays)];
  if (after.on) candidates.push(addDays(after.on, 1));
  if (invoice.dunningResumedOn) candidates.push(invoice.dunningResumedOn);
  return { level: step.level, action: step.action, fromDays: step.fromDays, on: candidates.reduce((a, b) => (b > a ? b : a)) };
}

function lastStepOn(invoice: InvoiceState): string | null {
  return invoice.dunningSteps.length ? invoice.dunningSteps[invoice.dunningSteps.length - 1].on : null;
}
