import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { domainError, laterDate } from '@crm/contracts';
import { BusinessClock, BusinessDays, eventMetadata, Roles, Answers, PlatformRequest } from '@crm/platform';
import { CreditAccounts } from '../account/credit-accounts';
import { ReasonDto } from '../customers/customers.dto';
import { ReceivablesFactsStore } from '../facts/receivables-facts.store';
import { holdFactsOf, initialFacts, paymentHistoryOf } from '@crm/credit-domain';
import { CreditPolicies } from '../policy/credit-policies';
import { CreditQueries } from '../read-models/credit-queries';
import { ApproveLimitDto, LimitRequestsQueryDto, RequestLimitDto, RequestParamDto } from './limit-requests.dto';
import { LimitDecisionDto, LimitRequestDto, LimitRequestedDto, LimitRequestListItemDto } from '../answers/credit-answers.dto';

/** Credit limits with maker-checker: sales (or credit) asks, a credit manager other than the requester decides. */
@ApiTags('credit limits')
@ApiBearerAuth()
@Controller('v1/credit/limit-requests')
export class LimitRequestsController {
  constructor(
    private readonly accounts: CreditAccounts,
    private readonly policies: CreditPolicies,
    private readonly facts: ReceivablesFactsStore,
    private readonly queries: CreditQueries,
    private readonly clock: BusinessClock,
    private readonly businessDays: BusinessDays,
  ) {}

  @Answers(LimitRequestedDto, { status: 201, summary: 'Request a credit limit and payment terms for a customer (maker-checker)', problems: { 409: ['limit-request-exists'], 422: ['unknown-customer'] } })
  @Post()
  @Roles('sales', 'credit_manager')
  @ApiHeader({ name: 'idempotency-key', required: false, description: 'A retried POST with the same key never opens a second request' })
  async request(@Body() body: RequestLimitDto, @Req() request: PlatformRequest, @Headers('idempotency-key') key?: string) {
    const { now, today } = this.clock.now();
    return this.accounts.execute(body.customerId, {
      type: 'RequestCreditLimit',
      data: { requestId: randomUUID(), customerId: body.customerId, amount: body.amount, currency: body.currency,
        paymentTermsDays: body.paymentTermsDays, reason: body.reason, requestedBy: request.actor.id, requestedOn: today },
      context: { customerKnown: await this.queries.isKnown(body.customerId) },
    }, {
      metadata: eventMetadata(request, 'RequestCreditLimit'), now, idempotencyKey: key, request: body,
      respond: ([e]) => {
        if (e.type !== 'CreditLimitRequested') throw new Error(`RequestCreditLimit recorded ${e.type}`);
        const d = e.data;
        return { id: d.requestId, status: 'pending', customerId: d.customerId, amount: d.amount, currency: d.currency,
          paymentTermsDays: d.paymentTermsDays, reason: d.reason, requestedBy: d.requestedBy, requestedOn: d.requestedOn };
      },
    });
  }

  /** Pending approvals (and decided requests, by status), oldest first. */
  @Answers(LimitRequestListItemDto, { page: true, summary: 'Limit requests awaiting a decision (or by status), oldest first, in keyset pages' })
  @Get()
  @Roles('credit_manager', 'sales', 'auditor')
  async list(@Query() { status, customerId, cursor, limit = 50 }: LimitRequestsQueryDto) {
    const statuses = status ? [status] : ['pending', 'awaiting-second-approval'];
    return this.queries.limitRequests(statuses, customerId, cursor, limit);
  }

  /** One request from the write side: read-your-writes right after a POST. */
  @Answers(LimitRequestDto, { summary: 'One limit request as credit\'s stream has it now', problems: { 404: ['limit-request-not-found'] } })
  @Get(':id')
  @Roles('credit_manager', 'sales', 'auditor')
  async get(@Param() { id }: RequestParamDto) {
    const customerId = await this.accounts.ownerOfRequest(id);
    const { state } = await this.accounts.load(customerId);
    const r = state.requests[id];
    if (!r) throw domainError('limit-request-not-found', 'not-found', `limit request ${id} not found`);
    return { id, customerId, amount: r.amount, currency: r.currency, paymentTermsDays: r.paymentTermsDays, status: r.status,
      requestedBy: r.requestedBy, approvals: r.approvalRecords };
  }

  @Answers(LimitDecisionDto, { summary: 'Approve a limit request (a second approver above the threshold; never the requester)', problems: { 404: ['limit-request-not-found'], 409: ['limit-request-already-decided'], 422: ['assessment-required', 'grade-allows-no-credit', 'terms-exceed-grade-maximum'] } })
  @Post(':id/approve')
  @HttpCode(200)
  @Roles('credit_manager')
  @ApiHeader({ name: 'idempotency-key', required: false })
  async approve(@Param() { id }: RequestParamDto, @Body() body: ApproveLimitDto, @Req() request: PlatformRequest, @Headers('idempotency-key') key?: string) {
    const customerId = await this.accounts.ownerOfRequest(id);
    const { now, today } = this.clock.now();
    const [policy, facts, { state }, lastClosed] = await Promise.all([this.policies.current(), this.facts.load(customerId),
      this.accounts.load(customerId), this.businessDays.lastClosed()]);
    const knownDate = laterDate(state.asOfDate, lastClosed);
    return this.accounts.execute(customerId, {
      type: 'ApproveCreditLimit',
      data: { requestId: id, approvedBy: request.actor.id, approvedOn: today, ...(body?.reason ? { reason: body.reason } : {}) },
      context: { policy, facts: facts ? holdFactsOf(facts, []) : null,
        assessment: { assessmentId: randomUUID(), paymentHistory: paymentHistoryOf(facts ?? initialFacts(customerId), knownDate) } },
    }, {
      metadata: eventMetadata(request, 'ApproveCreditLimit'), now, idempotencyKey: key, request: { id, body },
      respond: (events) => {
        // An assessment made on the spot (none was on record) comes first.
        const e = events.find((x) => x.type !== 'CreditAssessed')!;
        if (e.type === 'CreditLimitApprovalRecorded') {
          return { id, customerId, status: 'awaiting-second-approval', approvedBy: e.data.approvedBy, approvalsRequired: e.data.approvalsRequired,
            grade: e.data.grade, policyVersion: e.data.policyVersion };
        }
        if (e.type !== 'CreditLimitApproved') throw new Error(`ApproveCreditLimit recorded ${e.type}`);
        const d = e.data;
        return { id, customerId, status: 'approved', limit: { amount: d.limit, currency: d.currency }, paymentTermsDays: d.paymentTermsDays,
          grade: d.grade, approvers: d.approvers, policyVersion: d.policyVersion, nextReviewOn: d.reviewDueOn };
      },
    });
  }

  @Answers(LimitDecisionDto, { summary: 'Reject a limit request with a reason', problems: { 404: ['limit-request-not-found'], 409: ['limit-request-already-decided'] } })
  @Post(':id/reject')
  @HttpCode(200)
  @Roles('credit_manager')
  @ApiHeader({ name: 'idempotency-key', required: false })
  async reject(@Param() { id }: RequestParamDto, @Body() body: ReasonDto, @Req() request: PlatformRequest, @Headers('idempotency-key') key?: string) {
    const customerId = await this.accounts.ownerOfRequest(id);
    const { now, today } = this.clock.now();
    return this.accounts.execute(customerId, {
      type: 'RejectCreditLimit', data: { requestId: id, rejectedBy: request.actor.id, reason: body.reason, rejectedOn: today },
      context: { policy: await this.policies.current() },
    }, {
      metadata: eventMetadata(request, 'RejectCreditLimit'), now, idempotencyKey: key, request: { id, body },
      respond: ([e]) => ({ id, customerId, status: 'rejected', reason: body.reason, policyVersion: (e.data as any).policyVersion }),
    });
  }
}
