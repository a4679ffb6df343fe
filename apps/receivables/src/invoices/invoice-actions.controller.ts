import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { BusinessClock, eventMetadata, parseIfMatch, Roles, UuidParam, Answers, PlatformRequest } from '@crm/platform';
import { AccountCommand } from '@crm/receivables-domain';
import { AccountCommands } from '../account/account-commands';
import { CreditNoteDto, PromiseToPayDto, ReasonDto, ResolveDisputeDto } from './invoice-actions.dto';
import { CreditNoteIssuedDto, DisputeOpenedDto, DisputeResolvedDto, PromiseRecordedDto, WriteOffRequestedDto } from '../answers/receivables-answers.dto';

/** Commands on one invoice: credit notes, disputes, promises to pay, write-off requests. */
@ApiTags('invoices')
@ApiHeader({ name: 'if-match', required: false, description: 'ETag of GET /v1/invoices/{id}: 409 if the account changed since' })
@ApiBearerAuth()
@Controller('v1/invoices/:id')
export class InvoiceActionsController {
  constructor(private readonly accounts: AccountCommands, private readonly clock: BusinessClock) {}

  private async run(invoiceId: string, request: PlatformRequest, build: (today: string) => AccountCommand, respond: (data: any) => unknown) {
    const customerId = await this.accounts.ownerOf('invoice', invoiceId);
    const { now, today } = this.clock.now();
    const command = build(today);
    return this.accounts.execute(customerId, command, {
      metadata: eventMetadata(request, command.type), now, respond: ([e]) => respond(e.data),
      expectedVersion: parseIfMatch(request.headers['if-match']),
    });
  }

  @Answers(CreditNoteIssuedDto, { status: 201, summary: 'Issue a credit note against an invoice (above the outstanding: to the credit balance)', problems: { 403: ['late-entry-not-allowed'], 404: ['not-found'], 409: ['concurrency-conflict'], 422: ['credit-note-exceeds-invoice', 'period-closed'] } })
  @Post('credit-notes')
  @Roles('credit_manager')
  creditNote(@UuidParam('id') id: string, @Body() body: CreditNoteDto, @Req() request: PlatformRequest) {
    return this.run(id, request, (today) => ({ type: 'IssueCreditNote', data: { creditNoteId: randomUUID(), invoiceId: id, amount: body.amount, reason: body.reason, issuedOn: today, lateEntryReason: body.lateEntryReason } }),
      (d) => ({ id: d.creditNoteId, invoiceId: id, amount: d.amount, toCreditBalance: d.toCreditBalance ?? 0, issuedOn: d.issuedOn, ...(d.lateEntry ? { lateEntry: d.lateEntry } : {}) }));
  }

  @Answers(DisputeOpenedDto, { status: 201, summary: 'Open a dispute on an invoice (dunning pauses)', problems: { 404: ['not-found'], 409: ['already-disputed', 'concurrency-conflict'] } })
  @Post('disputes')
  @Roles('collector', 'account_manager', 'credit_manager')
  dispute(@UuidParam('id') id: string, @Body() body: ReasonDto, @Req() request: PlatformRequest) {
    return this.run(id, request, (today) => ({ type: 'OpenDispute', data: { invoiceId: id, reason: body.reason, openedOn: today } }),
      (d) => ({ invoiceId: id, disputed: true, openedOn: d.openedOn }));
  }

  @Answers(DisputeResolvedDto, { summary: 'Resolve an invoice\'s dispute (dunning resumes)', problems: { 404: ['not-found'], 409: ['not-disputed', 'concurrency-conflict'] } })
  @Post('disputes/resolve')
  @HttpCode(200)
  @Roles('collector', 'account_manager', 'credit_manager')
  resolve(@UuidParam('id') id: string, @Body() body: ResolveDisputeDto, @Req() request: PlatformRequest) {
    return this.run(id, request, (today) => ({ type: 'ResolveDispute', data: { invoiceId: id, resolution: body.resolution ?? '', resolvedOn: today } }),
      (d) => ({ invoiceId: id, disputed: false, resolvedOn: d.resolvedOn }));
  }

  @Answers(PromiseRecordedDto, { status: 201, summary: 'Record a customer\'s promise to pay an invoice by a date', problems: { 404: ['not-found'], 409: ['nothing-outstanding', 'concurrency-conflict'], 422: ['promise-exceeds-outstanding'] } })
  @Post('promises-to-pay')
  @Roles('collector')
  promise(@UuidParam('id') id: string, @Body() body: PromiseToPayDto, @Req() request: PlatformRequest) {
    return this.run(id, request, (today) => ({ type: 'RecordPromiseToPay', data: { invoiceId: id, promisedDate: body.promisedDate, amount: body.amount, recordedOn: today } }),
      (d) => ({ invoiceId: id, promisedDate: d.promisedDate, amount: d.amount }));
  }

  @Answers(WriteOffRequestedDto, { status: 201, summary: 'Request writing off an invoice\'s outstanding (another person approves)', problems: { 404: ['not-found'], 409: ['write-off-pending', 'nothing-outstanding', 'concurrency-conflict'] } })
  @Post('write-off-requests')
  @Roles('collector', 'credit_manager')
  requestWriteOff(@UuidParam('id') id: string, @Body() body: ReasonDto, @Req() request: PlatformRequest) {
    return this.run(id, request, (today) => ({ type: 'RequestWriteOff', data: { requestId: randomUUID(), invoiceId: id, reason: body.reason, requestedBy: request.actor.id, requestedOn: today } }),
      (d) => ({ id: d.requestId, invoiceId: id, amount: d.amount, status: 'pending' }));
  }
}
