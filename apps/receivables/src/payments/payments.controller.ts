import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Inject, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { domainError } from '@crm/contracts';
import { BusinessClock, eventMetadata, Roles, UuidParam, Answers, ValidationProblem, PlatformRequest } from '@crm/platform';
import { InvoiceNumbering, invoiceNumberKey, remittanceReferences, yearSeriesKey } from '@crm/receivables-domain';
import { INVOICE_NUMBERING } from '../invoices/invoice-numbering.config';
import { AccountCommands } from '../account/account-commands';
import { CustomerFacts } from '../read-models/customer-facts';
import { AllocatePaymentDto, ReceivePaymentDto, ReversePaymentDto, UnmatchedQueryDto } from './payments.dto';
import { UnmatchedPayments } from './unmatched-payments';
import { PaymentAllocatedDto, PaymentReceivedDto, PaymentReversedDto, UnmatchedPaymentDto } from '../answers/receivables-answers.dto';

/** At most this many invoice references of one remittance are looked up to find an unknown payer. */
const MAX_PAYER_LOOKUPS = 50;

@ApiTags('payments')
@ApiBearerAuth()
@Controller('v1/payments')
export class PaymentsController {
  constructor(
    private readonly accounts: AccountCommands,
    private readonly facts: CustomerFacts,
    private readonly clock: BusinessClock,
    private readonly unmatched: UnmatchedPayments,
    @Inject(INVOICE_NUMBERING) private readonly numbering: InvoiceNumbering,
  ) {}

  @Answers(PaymentReceivedDto, { status: 201, summary: 'Receive a payment: allocated as sent, or matched from its remittance; the rest is credit balance', problems: { 403: ['late-entry-not-allowed'], 409: ['payment-exists'], 422: ['unknown-customer', 'unknown-invoice', 'currency-mismatch', 'allocation-exceeds-outstanding', 'allocations-exceed-payment', 'period-closed', 'payer-unknown', 'payer-ambiguous'] } })
  @Post()
  @Roles('collector', 'credit_manager')
  @ApiHeader({ name: 'idempotency-key', required: false })
  async receive(@Body() body: ReceivePaymentDto, @Req() request: PlatformRequest, @Headers('idempotency-key') idempotencyKey?: string) {
    if (body.allocations !== undefined && body.remittance !== undefined) {
      // One or the other: allocations say where the money goes, a remittance lets it be matched.
      throw new ValidationProblem([{ field: 'remittance', messages: ['send allocations or remittance, not both'] }]);
    }
    const paymentId = randomUUID();
    const customerId = await this.payerOf(body);
    const context = { customerKnown: await this.facts.isKnown(customerId) };
    return this.accounts.execute(customerId, {
      type: 'ReceivePayment',
      data: { paymentId, customerId, amount: body.amount, currency: body.currency, receivedOn: body.receivedOn,
        method: body.method, reference: body.reference, allocations: body.allocations?.map((a) => ({ invoiceId: a.invoiceId, amount: a.amount })),
        remittance: body.remittance, lateEntryReason: body.lateEntryReason },
      context,
    }, {
      metadata: eventMetadata(request, 'ReceivePayment'), now: this.clock.now().now, idempotencyKey, request: body,
      respond: ([received]) => {
        if (received.type !== 'PaymentReceived') throw new Error(`ReceivePayment recorded ${received.type}`);
        const d = received.data;
        return { id: d.paymentId, customerId: d.customerId, amount: d.amount, currency: d.currency, allocations: d.allocations, unapplied: d.unapplied,
          ...(d.lateEntry ? { lateEntry: d.lateEntry } : {}), ...(d.matching ? { matching: d.matching } : {}) };
      },
    });
  }

  /** Payments holding unapplied money, oldest received first, each with ranked suggestions of the invoices it may be for. */
  @Answers(UnmatchedPaymentDto, { page: true, summary: 'Payments holding unapplied money, oldest first, with ranked invoice suggestions' })
  @Get('unmatched')
  @Roles('collector', 'credit_manager', 'auditor')
  list(@Query() query: UnmatchedQueryDto) {
    return this.unmatched.page(query);
  }

  /** Applies unapplied money of the payment to named invoices (`PaymentAllocated`). */
  @Answers(PaymentAllocatedDto, { summary: 'Apply a payment\'s unapplied money to named invoices', problems: { 403: ['late-entry-not-allowed'], 404: ['not-found'], 409: ['payment-already-reversed', 'nothing-unapplied', 'payment-allocated-to-written-off-invoice'], 422: ['unknown-invoice', 'currency-mismatch', 'allocation-exceeds-outstanding', 'allocations-exceed-payment', 'period-closed'] } })
  @Post(':id/allocations')
  @HttpCode(200)
  @Roles('collector', 'credit_manager')
  @ApiHeader({ name: 'idempotency-key', required: false })
  async allocate(@UuidParam('id') id: string, @Body() body: AllocatePaymentDto, @Req() request: PlatformRequest, @Headers('idempotency-key') idempotencyKey?: string) {
    const customerId = await this.accounts.ownerOf('payment', id);
    const { now, today } = this.clock.now();
    return this.accounts.execute(customerId, {
      type: 'AllocatePayment',
      data: { paymentId: id, allocations: body.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: a.amount })), allocatedOn: today, lateEntryReason: body.lateEntryReason },
    }, {
      metadata: eventMetadata(request, 'AllocatePayment'), now, idempotencyKey, request: { id, ...body },
      respond: ([allocated]) => {
        if (allocated.type !== 'PaymentAllocated') throw new Error(`AllocatePayment recorded ${allocated.type}`);
        const d = allocated.data;
        return { id, customerId: d.customerId, currency: d.currency, allocatedOn: d.allocatedOn, allocations: d.allocations, unapplied: d.unapplied,
          ...(d.lateEntry ? { lateEntry: d.lateEntry } : {}) };
      },
    });
  }

  @Answers(PaymentReversedDto, { summary: 'Reverse a payment (a bounced transfer): its allocations are undone', problems: { 403: ['late-entry-not-allowed'], 404: ['not-found'], 409: ['payment-already-reversed', 'payment-refunded'], 422: ['reversal-before-payment', 'reversal-date-in-future', 'period-closed'] } })
  @Post(':id/reverse')
  @HttpCode(200)
  @Roles('collector', 'credit_manager')
  async reverse(@UuidParam('id') id: string, @Body() body: ReversePaymentDto, @Req() request: PlatformRequest) {
    const customerId = await this.accounts.ownerOf('payment', id);
    const { now, today } = this.clock.now();
    return this.accounts.execute(customerId, { type: 'ReversePayment', data: { paymentId: id, reversedOn: body.reversedOn, today, lateEntryReason: body.lateEntryReason } }, {
      metadata: eventMetadata(request, 'ReversePayment'), now,
      respond: ([reversed]) => {
        if (reversed.type !== 'PaymentReversed') throw new Error(`ReversePayment recorded ${reversed.type}`);
        return { id, reversed: true, reversedOn: reversed.data.reversedOn, allocations: reversed.data.allocations, ...(reversed.data.lateEntry ? { lateEntry: reversed.data.lateEntry } : {}) };
      },
    });
  }

  /**
   * The paying customer: as sent, or — a payment from an unknown payer — the one customer whose
   * invoices the remittance names (by the invoice-number lookup written with each invoice).
   */
  private async payerOf(body: ReceivePaymentDto): Promise<string> {
    if (body.customerId) return body.customerId;
    if (!body.remittance) {
      throw domainError('payer-unknown', 'refused', 'customerId is required unless the remittance names invoices of one customer', 'customerId');
    }
    // A year-series number written without its prefix ("2026-000001") is looked up under the configured one.
    const prefix = invoiceNumberKey(this.numbering.prefix);
    const keys = [...new Set(remittanceReferences(body.remittance).map(invoiceNumberKey).map((k) => (yearSeriesKey(`${prefix}-${k}`) === k ? `${prefix}-${k}` : k)))]
      .slice(0, MAX_PAYER_LOOKUPS);
    const owners = new Set((await Promise.all(keys.map((k) => this.accounts.findOwner('invoice-number', k)))).filter((o): o is string => !!o));
    if (owners.size === 1) return [...owners][0];
    throw owners.size === 0
      ? domainError('payer-unknown', 'refused', 'the remittance names no known invoice: send customerId', 'customerId')
      : domainError('payer-ambiguous', 'refused', `the remittance names invoices of ${owners.size} customers: send customerId`, 'customerId');
  }
}
