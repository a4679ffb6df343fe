import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, NotFoundException, Put, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { BusinessClock, eventMetadata, Roles, UuidParam, Answers, PlatformRequest } from '@crm/platform';
import { AccountState, creditSources } from '@crm/receivables-domain';
import { AccountCommands } from '../account/account-commands';
import { CustomerFacts } from '../read-models/customer-facts';
import { ReceivablesPolicyDto, RefundDto } from './credit-balance.dto';
import { CreditBalanceDto, ReceivablesPolicyAnswerDto, ReceivablesPolicyChangedDto, RefundRecordedDto } from '../answers/receivables-answers.dto';

const READERS = ['collector', 'credit_manager', 'account_manager', 'auditor', 'sales'] as const;

function balances(state: AccountState) {
  return Object.keys(state.unapplied).filter((c) => state.unapplied[c] !== 0).sort()
    .map((currency) => ({ currency, amount: state.unapplied[currency], sources: creditSources(state, currency).map(({ kind, id, amount }) => ({ kind, id, amount })) }));
}

/** A customer's credit balance (unapplied money, credit notes above the outstanding), its refunds, and the customer's receivables policy. */
@ApiTags('credit balance')
@ApiBearerAuth()
@Controller('v1/customers/:customerId')
export class CreditBalanceController {
  constructor(private readonly accounts: AccountCommands, private readonly facts: CustomerFacts, private readonly clock: BusinessClock) {}

  @Answers(CreditBalanceDto, { summary: 'A customer\'s credit balance per currency, with where it came from', problems: { 404: ['not-found'] } })
  @Get('credit-balance')
  @Roles(...READERS)
  async creditBalance(@UuidParam('customerId') customerId: string) {
    const { state } = await this.accounts.load(customerId);
    // A customer receivables has never heard of has no balance to show: 404, as for an unknown invoice or payment.
    if (!state.customerId && !(await this.facts.isKnown(customerId))) throw new NotFoundException(`customer ${customerId} not found`);
    return { customerId, currencies: balances(state) };
  }

  /** Pays credit balance back (`CreditBalanceRefunded`), oldest credit first; more than the balance is a 422 naming amount. */
  @Answers(RefundRecordedDto, { status: 201, summary: 'Pay a customer\'s credit balance back, oldest credit first', problems: { 403: ['late-entry-not-allowed'], 422: ['unknown-customer', 'refund-exceeds-credit-balance', 'period-closed'] } })
  @Post('refunds')
  @Roles('credit_manager')
  @ApiHeader({ name: 'idempotency-key', required: false })
  async refund(@UuidParam('customerId') customerId: string, @Body() body: RefundDto, @Req() request: PlatformRequest, @Headers('idempotency-key') idempotencyKey?: string) {
    const { now, today } = this.clock.now();
    return this.accounts.execute(customerId, {
      type: 'RefundCreditBalance',
      data: { refundId: randomUUID(), customerId, amount: body.amount, currency: body.currency, reference: body.reference, refundedOn: today, lateEntryReason: body.lateEntryReason },
      context: { customerKnown: await this.facts.isKnown(customerId) },
    }, {
      metadata: eventMetadata(request, 'RefundCreditBalance'), now, idempotencyKey, request: { customerId, ...body },
      respond: ([refunded]) => {
        if (refunded.type !== 'CreditBalanceRefunded') throw new Error(`RefundCreditBalance recorded ${refunded.type}`);
        const d = refunded.data;
        return { id: d.refundId, customerId, amount: d.amount, currency: d.currency, reference: d.reference, refundedOn: d.refundedOn, sources: d.sources,
          ...(d.lateEntry ? { lateEntry: d.lateEntry } : {}) };
      },
    });
  }

  @Answers(ReceivablesPolicyAnswerDto, { summary: 'A customer\'s receivables policy (auto-apply credit) and its version' })
  @Get('receivables-policy')
  @Roles(...READERS)
  async policy(@UuidParam('customerId') customerId: string) {
    const { state } = await this.accounts.load(customerId);
    return { customerId, version: state.policy.version, autoApplyCredit: state.policy.autoApplyCredit };
  }

  /**
   * Records `ReceivablesPolicyChanged` with the customer's next policy version when it changes
   * (the same settings again record nothing). Switching `autoApplyCredit` on applies the credit
   * balance to the open invoices at once (`CreditBalanceApplied`, citing the version).
   */
  @Answers(ReceivablesPolicyChangedDto, { summary: 'Change a customer\'s receivables policy; switching auto-apply on applies the credit balance at once', problems: { 422: ['unknown-customer'] } })
  @Put('receivables-policy')
  @Roles('credit_manager')
  @ApiHeader({ name: 'idempotency-key', required: false })
  async changePolicy(@UuidParam('customerId') customerId: string, @Body() body: ReceivablesPolicyDto, @Req() request: PlatformRequest,
    @Headers('idempotency-key') idempotencyKey?: string) {
    const { now, today } = this.clock.now();
    const context = { customerKnown: await this.facts.isKnown(customerId) };
    const before = (await this.accounts.load(customerId)).state.policy.version;
    return this.accounts.execute(customerId, {
      type: 'SetReceivablesPolicy', data: { customerId, autoApplyCredit: body.autoApplyCredit, changedOn: today }, context,
    }, {
      metadata: eventMetadata(request, 'SetReceivablesPolicy'), now, idempotencyKey, request: { customerId, ...body },
      respond: (events) => {
        const changed = events.find((e) => e.type === 'ReceivablesPolicyChanged');
        const applied = events.filter((e) => e.type === 'CreditBalanceApplied').map((e) => e.data);
        return changed && changed.type === 'ReceivablesPolicyChanged'
          ? { customerId, version: changed.data.version, changed: true, autoApplyCredit: changed.data.autoApplyCredit, applied }
          : { customerId, version: before, changed: false, autoApplyCredit: body.autoApplyCredit, applied: [] };
      },
    });
  }
}
