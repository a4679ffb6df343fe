import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, NotFoundException, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { BusinessClock, etag, eventMetadata, Roles, UuidParam, Answers, PlatformRequest } from '@crm/platform';
import { earliestUnpaidDueDate, invoiceStatus, outstanding, predictPaymentDate } from '@crm/receivables-domain';
import { CollectionQueriesService } from '../collection/collection-queries.service';
import { AccountCommands } from '../account/account-commands';
import { CustomerFacts } from '../read-models/customer-facts';
import { IssueInvoiceDto } from './issue-invoice.dto';
import { InvoiceDto, InvoiceIssuedDto } from '../answers/receivables-answers.dto';

@ApiTags('invoices')
@ApiBearerAuth()
@Controller('v1/invoices')
export class InvoicesController {
  constructor(
    private readonly accounts: AccountCommands,
    private readonly facts: CustomerFacts,
    private readonly clock: BusinessClock,
    private readonly collection: CollectionQueriesService,
  ) {}

  @Answers(InvoiceIssuedDto, { status: 201, summary: 'Issue an invoice (net terms or installments) within the customer\'s credit', problems: { 403: ['late-entry-not-allowed'], 409: ['invoice-exists'], 422: ['unknown-customer', 'credit-hold', 'credit-limit-exceeded', 'terms-exceed-credit-terms', 'period-closed'] } })
  @Post()
  @Roles('sales', 'credit_manager')
  @ApiHeader({ name: 'idempotency-key', required: false, description: 'A retried POST with the same key never creates a second invoice' })
  async issue(@Body() body: IssueInvoiceDto, @Req() request: PlatformRequest, @Headers('idempotency-key') idempotencyKey?: string) {
    const invoiceId = randomUUID();
    const context = await this.facts.creditContext(body.customerId);
    const { now } = this.clock.now();
    const terms = body.terms.type === 'net'
      ? { type: 'net' as const, days: body.terms.days! }
      : { type: 'installments' as const, schedule: body.terms.schedule!.map((s) => ({ dueDate: s.dueDate, amount: s.amount })) };
    return this.accounts.execute(body.customerId, {
      type: 'IssueInvoice',
      data: { invoiceId, customerId: body.customerId, currency: body.currency, issueDate: body.issueDate,
        lines: body.lines.map((l) => ({ description: l.description, quantity: l.quantity, unitPrice: l.unitPrice })), terms,
        earlyPaymentDiscount: body.earlyPaymentDiscount ? { ...body.earlyPaymentDiscount } : undefined, lateEntryReason: body.lateEntryReason },
      context,
    }, {
      metadata: eventMetadata(request, 'IssueInvoice'), now, idempotencyKey, request: body,
      respond: ([issued]) => {
        if (issued.type !== 'InvoiceIssued') throw new Error(`IssueInvoice recorded ${issued.type}`);
        const d = issued.data;
        return { id: d.invoiceId, number: d.number, total: d.total, currency: d.currency, dueDates: d.installments.map((i) => i.dueDate),
          installments: d.installments, earlyPaymentDiscount: d.earlyPaymentDiscount, ...(d.lateEntry ? { lateEntry: d.lateEntry } : {}) };
      },
    });
  }

  @Answers(InvoiceDto, { summary: 'An invoice as the customer\'s account has it now: amounts, status, dunning, dispute, payments; ETag is the account version', problems: { 404: ['not-found'] } })
  @Get(':id')
  @Roles('sales', 'credit_manager', 'collector', 'account_manager', 'auditor')
  async get(@UuidParam('id') id: string, @Res({ passthrough: true }) response: any) {
    const customerId = await this.accounts.ownerOf('invoice', id);
    const { state, version } = await this.accounts.load(customerId);
    const invoice = state.invoices[id];
    if (!invoice) throw new NotFoundException(`invoice ${id} not found`);
    // The ETag is the customer's account version: send it back as If-Match to act on what you saw.
    response.setHeader('ETag', etag(version));
    const nextDueDate = earliestUnpaidDueDate(invoice);
    const prediction = outstanding(invoice) > 0 && nextDueDate
      ? predictPaymentDate({ dueDate: nextDueDate, issueDate: invoice.issueDate, disputed: invoice.dispute != null },
        (await this.collection.paidHistories([customerId])).get(customerId) ?? [], this.clock.now().today)
      : { predictedPaymentDate: null, predictionBasis: null };
    return {
      id, number: invoice.number, customerId, currency: invoice.currency, issueDate: invoice.issueDate, lines: invoice.lines,
      total: invoice.total, paid: invoice.paid, discounted: invoice.discounted, credited: invoice.credited,
      writtenOff: invoice.writtenOff, recovered: invoice.recovered, outstanding: outstanding(invoice),
      dueDates: invoice.installments.map((i) => i.dueDate), installments: invoice.installments, nextDueDate: earliestUnpaidDueDate(invoice),
      terms: invoice.terms, earlyPaymentDiscount: invoice.earlyPaymentDiscount, status: invoiceStatus(invoice),
      overdueSince: invoice.overdue?.since ?? null, dunningLevel: invoice.dunningLevel, dunningSteps: invoice.dunningSteps, dispute: invoice.dispute,
      promiseToPay: invoice.promise && { promisedDate: invoice.promise.promisedDate, amount: invoice.promise.amount },
      writeOffRequest: invoice.writeOffRequest, payments: invoice.payments, ...prediction,
    };
  }
}
