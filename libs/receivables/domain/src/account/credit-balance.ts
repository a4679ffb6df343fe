import { CreditApplicationV1, CreditSourceV1 } from '@crm/contracts';
import { refuse } from '../receivables-errors';
import { inClosedPeriod, lateEntryFor, PeriodContext } from '../periods/period-gate';
import { AccountEvent, event } from './account.events';
import { AccountState, activeInvoices, creditSources, earliestUnpaidDueDate, outstanding } from './account.state';

/** An invoice credit may go to: its id, what it still owes, when (for oldest due first). */
interface CreditTarget { invoiceId: string; number: string; owed: number; dueDate: string }

/**
 * The customer's credit balance in `currency` applied to its open invoices (not written off, not
 * disputed), oldest due first, the oldest credit first — when the customer's policy says
 * `autoApplyCredit`. `state` is the account after the events of the command that causes it.
 */
export function autoAppliedCredit(state: AccountState, currency: string, appliedOn: string, trigger: string): AccountEvent[] {
  const balance = state.unapplied[currency] ?? 0;
  if (!state.policy.autoApplyCredit || balance <= 0) return [];
  const targets: CreditTarget[] = activeInvoices(state)
    .filter((i) => i.currency === currency && i.writtenOff === 0 && !i.dispute && outstanding(i) > 0)
    .map((i) => ({ invoiceId: i.invoiceId, number: i.number, owed: outstanding(i), dueDate: earliestUnpaidDueDate(i) ?? '' }))
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.number.localeCompare(b.number));
  const sources = creditSources(state, currency).map((c) => ({ kind: c.kind, id: c.id, left: c.amount }));
  const applications: CreditApplicationV1[] = [];
  for (const target of targets) {
    let owed = target.owed;
    for (const source of sources) {
      if (owed === 0) break;
      const amount = Math.min(owed, source.left);
      if (amount === 0) continue;
      applications.push({ invoiceId: target.invoiceId, amount, source: { kind: source.kind, id: source.id, amount } });
      source.left -= amount;
      owed -= amount;
    }
  }
  if (applications.length === 0) return [];
  return [event('CreditBalanceApplied', { customerId: state.customerId!, currency, appliedOn, applications, policyVersion: state.policy.version, trigger })];
}

export interface RefundCreditBalance {
  type: 'RefundCreditBalance';
  data: { refundId: string; customerId: string; amount: number; currency: string; reference: string; refundedOn: string; lateEntryReason?: string };
  /** Whether receivables knows the customer (from customers' events): a stranger has no balance to refund. */
  context?: { customerKnown: boolean };
  /** Read in the append's transaction: is the refund date's period closed. */
  periods?: PeriodContext;
}

/** Pays credit balance back to the customer, the oldest credit first; never more than the balance. */
export function refundCreditBalance({ data, context, periods }: RefundCreditBalance, state: AccountState): AccountEvent[] {
  if (context && !context.customerKnown && !state.customerId) {
    throw refuse('unknown-customer', 'refused', `customer ${data.customerId} is not known to receivables`, 'customerId');
  }
  const lateEntry = lateEntryFor(data.refundedOn, 'refundedOn', periods, data.lateEntryReason);
  const balance = state.unapplied[data.currency] ?? 0;
  if (data.amount > balance) {
    throw refuse('refund-exceeds-credit-balance', 'refused', `the credit balance of customer ${data.customerId} is ${balance} ${data.currency}, less than ${data.amount}`,
      'amount', { creditBalance: balance });
  }
  let left = data.amount;
  const sources: CreditSourceV1[] = [];
  for (const credit of creditSources(state, data.currency)) {
    if (left === 0) break;
    const amount = Math.min(left, credit.amount);
    sources.push({ kind: credit.kind, id: credit.id, amount });
    left -= amount;
  }
  const { lateEntryReason: _reason, ...refund } = data;
  return [event('CreditBalanceRefunded', { ...refund, sources, ...(lateEntry ? { lateEntry } : {}) })];
}

export interface SetReceivablesPolicy {
  type: 'SetReceivablesPolicy';
  data: { customerId: string; autoApplyCredit: boolean; changedOn: string };
  context: { customerKnown: boolean };
  /** Read in the append's transaction: is the change date's period closed (no credit is applied in it). */
  periods?: PeriodContext;
}

/** A new version of the customer's settings when they change; switching auto-apply on applies the balance at once. */
export function setReceivablesPolicy({ data, context, periods }: SetReceivablesPolicy, state: AccountState): AccountEvent[] {
  if (!context.customerKnown) throw refuse('unknown-customer', 'refused', `customer ${data.customerId} is not known to receivables`, 'customerId');
  if (state.policy.version > 0 && state.policy.autoApplyCredit === data.autoApplyCredit) return [];
  if (state.policy.version === 0 && !data.autoApplyCredit) return [];
  const version = state.policy.version + 1;
  const changed = event('ReceivablesPolicyChanged', { customerId: data.customerId, version, autoApplyCredit: data.autoApplyCredit, changedOn: data.changedOn });
  // In a closed period the switch is recorded, and the balance waits for the next change in an open one.
  if (!data.autoApplyCredit || inClosedPeriod(data.changedOn, periods)) return [changed];
  // Decided on the policy as it will be: the application cites the new version.
  const after = { ...state, customerId: data.customerId, policy: { version, autoApplyCredit: true } };
  const currencies = Object.keys(state.unapplied).filter((c) => state.unapplied[c] > 0).sort();
  return [changed, ...currencies.flatMap((c) => autoAppliedCredit(after, c, data.changedOn, `policy version ${version}`))];
}
