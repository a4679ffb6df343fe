import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL, ValidationProblem } from '@crm/platform';
import { suggestMatches, UnappliedPaymentDoc } from '@crm/receivables-domain';
import { Pool } from 'pg';
import { AccountCommands } from '../account/account-commands';
import { UnmatchedQueryDto } from './payments.dto';

const badCursor = () => new ValidationProblem([{ field: 'cursor', messages: ['cursor must be a nextCursor this API returned'] }]);

function decodeCursor(cursor: string | undefined): [string, string] | null {
  if (cursor === undefined) return null;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) return value as [string, string];
  } catch {
    // falls through to the 400 below
  }
  throw badCursor();
}

/**
 * The unmatched list: the read model finds payments with unapplied money (a partial index, one
 * page at a time); each listed payment's account, read at once, gives what is unapplied now and
 * the invoices it may be for, ranked by the same matching rules as at receipt.
 */
@Injectable()
export class UnmatchedPayments {
  constructor(@Inject(PG_POOL) private readonly pool: Pool, private readonly accounts: AccountCommands) {}

  async page({ customerId, currency, cursor, limit = 50 }: UnmatchedQueryDto) {
    const after = decodeCursor(cursor);
    const { rows } = await this.pool.query(
      `SELECT id, doc FROM unapplied_payments
        WHERE unapplied > 0 AND ($1::text IS NULL OR customer_id = $1) AND ($2::text IS NULL OR currency = $2)
          AND ($3::text IS NULL OR (received_on, id) > ($3, $4))
        ORDER BY received_on, id LIMIT $5`,
      [customerId ?? null, currency ?? null, after?.[0] ?? null, after?.[1] ?? '', limit + 1]);
    const docs = rows.slice(0, limit).map((r) => r.doc as UnappliedPaymentDoc);
    const items = await Promise.all(docs.map((doc) => this.withSuggestions(doc)));
    const last = docs[docs.length - 1];
    return {
      items: items.filter((i) => i.unapplied > 0),
      nextCursor: rows.length > limit ? Buffer.from(JSON.stringify([last.receivedOn, last.paymentId])).toString('base64url') : null,
    };
  }

  private async withSuggestions(doc: UnappliedPaymentDoc) {
    const { state } = await this.accounts.load(doc.customerId);
    const payment = state.payments[doc.paymentId];
    const unapplied = payment && !payment.reversed ? payment.unapplied : 0;
    const suggestions = suggestMatches(state, { amount: unapplied, currency: doc.currency, receivedOn: doc.receivedOn, remittance: doc.remittance ?? '' });
    return { paymentId: doc.paymentId, customerId: doc.customerId, amount: doc.amount, currency: doc.currency, receivedOn: doc.receivedOn,
      method: doc.method, reference: doc.reference, remittance: doc.remittance, unapplied, suggestions };
  }
}
