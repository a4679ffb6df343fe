import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { domainError, laterDate } from '@crm/contracts';
import { isOnHold, holdCausesOf, paymentHistoryOf, initialFacts } from '@crm/credit-domain';
import { BusinessClock, BusinessDays, eventMetadata, Roles, ValidationProblem, Answers, PlatformRequest } from '@crm/platform';
import { CreditAccounts } from '../account/credit-accounts';
import { ReceivablesFactsStore } from '../facts/receivables-facts.store';
import { CreditPolicies } from '../policy/credit-policies';
import { CreditQueries } from '../read-models/credit-queries';
import { AsOfQueryDto, CustomerParamDto, FinancialsDto, PageQueryDto, ReasonDto } from './customers.dto';
import { AssessmentDto, CreditDecisionsDto, CreditPositionDto, FinancialsRecordedDto, HoldPlacedDto, HoldReleasedDto, HoldStateDto } from '../answers/credit-answers.dto';

/** The assessment takes no input: credit reads what it scores. Any field sent is refused by name (an empty body or `{}` is fine). */
function refuseAnyBody(body: unknown): void {
  if (body === undefined || body === null || (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0)) return;
  const fields = typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : ['body'];
  throw new ValidationProblem(fields.map((field) => ({
    field, messages: [field === 'body' ? 'an assessment takes no body (send none, or {})' : `property ${field} should not exist: an assessment takes no fields`],
  })));
}

const READERS = ['sales', 'credit_manager', 'collector', 'account_manager', 'auditor'] as const;

/** A customer's credit: financials, assessments, holds, the position and the decisions behind it. */
@ApiTags('credit customers')
@ApiBearerAuth()
@Controller('v1/credit/customers/:customerId')
export class CustomersController {
  constructor(
    private readonly accounts: CreditAccounts,
    private readonly policies: CreditPolicies,
    private readonly facts: ReceivablesFactsStore,
    private readonly queries: CreditQueries,
    private readonly clock: BusinessClock,
    private readonly businessDays: BusinessDays,
  ) {}

  @Answers(FinancialsRecordedDto, { status: 201, summary: 'Record a customer\'s financial statements (revenue, debt and current ratios, years in business)', problems: { 422: ['unknown-customer'] } })
  @Post('financials')
  @Roles('credit_manager')
  @ApiHeader({ name: 'idempotency-key', required: false })
  async financials(@Param() { customerId }: CustomerParamDto, @Body() body: FinancialsDto, @Req() request: PlatformRequest, @Headers('idempotency-key') key?: string) {
    const { now, today } = this.clock.now();
    return this.accounts.execute(customerId, {
      type: 'RecordFinancials',
      data: { customerId, annualRevenue: body.annualRevenue, debtRatio: body.debtRatio, currentRatio: body.currentRatio,
        yearsInBusiness: body.yearsInBusiness, asOf: body.asOf, recordedBy: request.actor.id, recordedOn: today },
      context: { customerKnown: await this.queries.isKnown(customerId) },
    }, {
      metadata: eventMetadata(request, 'RecordFinancials'), now, idempotencyKey: key, request: { customerId, body },
      respond: ([e], version) => ({ ...(e.data as object), version }),
    });
  }

  @Answers(AssessmentDto, { status: 201, summary: 'Assess a customer\'s credit: score and grade from financials and payment history under the policy in force', problems: { 422: ['unknown-customer'] } })
  @Post('assessments')
  @Roles('credit_manager')
  @ApiHeader({ name: 'idempotency-key', required: false })
  async assess(@Param() { customerId }: CustomerParamDto, @Body() body: unknown, @Req() request: PlatformRequest, @Headers('idempotency-key') key?: string) {
    refuseAnyBody(body);
    const { now, today } = this.clock.now();
    const [known, facts, policy, { state }, lastClosed] = await Promise.all([this.queries.isKnown(customerId), this.facts.load(customerId),
      this.policies.current(), this.accounts.load(customerId), this.businessDays.lastClosed()]);
    const knownDate = laterDate(state.asOfDate, lastClosed);
    return this.accounts.execute(customerId, {
      type: 'AssessCredit',
      data: { assessmentId: randomUUID(), customerId, assessedBy: request.actor.id, assessedOn: today },
      context: { customerKnown: known, paymentHistory: paymentHistoryOf(facts ?? initialFacts(customerId), knownDate), policy },
    }, {
      metadata: eventMetadata(request, 'AssessCredit'), now, idempotencyKey: key, request: { customerId },
      respond: ([e]) => {
        if (e.type !== 'CreditAssessed') throw new Error(`AssessCredit recorded ${e.type}`);
        const d = e.data;
        return { id: d.assessmentId, customerId, score: d.score, grade: d.grade, factors: d.factors, policyVersion: d.policyVersion,
          assessedOn: d.assessedOn, inputs: d.inputs };
      },
    });
  }

  @Answers(HoldPlacedDto, { status: 201, summary: 'Place a manual credit hold on a customer', problems: { 409: ['already-on-hold'], 422: ['unknown-customer'] } })
  @Post('holds')
  @Roles('credit_manager')
  @ApiHeader({ name: 'idempotency-key', required: false })
  async hold(@Param() { customerId }: CustomerParamDto, @Body() body: ReasonDto, @Req() request: PlatformRequest, @Headers('idempotency-key') key?: string) {
    const { now, today } = this.clock.now();
    const [known, policy] = await Promise.all([this.queries.isKnown(customerId), this.policies.current()]);
    return this.accounts.execute(customerId, {
      type: 'PlaceHold', data: { customerId, reason: body.reason, placedBy: request.actor.id, placedOn: today }, context: { customerKnown: known, policy },
    }, {
      metadata: eventMetadata(request, 'PlaceHold'), now, idempotencyKey: key, request: { customerId, body },
      respond: ([e], version) => ({ customerId, onHold: true, holdCauses: (e.data as any).causes.map((c: any) => c.code), version }),
    });
  }

  @Answers(HoldReleasedDto, { summary: 'Release a customer\'s credit hold (overrides the automatic causes until they change)', problems: { 409: ['no-credit-hold'], 422: ['unknown-customer'] } })
  @Post('holds/release')
  @HttpCode(200)
  @Roles('credit_manager')
  @ApiHeader({ name: 'idempotency-key', required: false })
  async release(@Param() { customerId }: CustomerParamDto, @Body() body: ReasonDto, @Req() request: PlatformRequest, @Headers('idempotency-key') key?: string) {
    const { now, today } = this.clock.now();
    const [known, policy] = await Promise.all([this.queries.isKnown(customerId), this.policies.current()]);
    return this.accounts.execute(customerId, {
      type: 'ReleaseHold', data: { customerId, reason: body.reason, releasedBy: request.actor.id, releasedOn: today }, context: { customerKnown: known, policy },
    }, {
      metadata: eventMetadata(request, 'ReleaseHold'), now, idempotencyKey: key, request: { customerId, body },
      respond: ([e], version) => ({ customerId, onHold: false, released: (e.data as any).causes.map((c: any) => c.code), version }),
    });
  }

  /** The position from the read model; `?asOf=` answers it as recorded at that instant. */
  @Answers(CreditPositionDto, { summary: 'A customer\'s credit position: grade, limit, exposure, availability and hold (or as recorded at `asOf`)', problems: { 404: ['customer-not-found'] } })
  @Get()
  @Roles(...READERS)
  async position(@Param() { customerId }: CustomerParamDto, @Query() { asOf }: AsOfQueryDto) {
    return this.queries.position(customerId, asOf);
  }

  @Answers(CreditDecisionsDto, { summary: 'Every credit decision about a customer with its inputs, rule and policy version, in keyset pages', problems: { 404: ['customer-not-found'] } })
  @Get('decisions')
  @Roles('credit_manager', 'auditor')
  async decisions(@Param() { customerId }: CustomerParamDto, @Query() { cursor, limit = 100 }: PageQueryDto) {
    await this.mustBeHeardOf(customerId);
    return { customerId, ...(await this.queries.decisions(customerId, cursor, limit)) };
  }

  /** The write side's view (read-your-writes): the hold and the limit as credit's stream has them now. */
  @Answers(HoldStateDto, { summary: 'A customer\'s hold as credit\'s stream has it now (read-your-writes)', problems: { 404: ['customer-not-found'] } })
  @Get('hold')
  @Roles(...READERS)
  async holdState(@Param() { customerId }: CustomerParamDto) {
    const { state, version } = await this.accounts.load(customerId);
    if (version === 0) await this.mustBeHeardOf(customerId);
    return { customerId, onHold: isOnHold(state.hold), holdCauses: holdCausesOf(state.hold), overridden: state.hold.overridden, version };
  }

  /** 404 for a customer credit has never heard of (neither registered on customers' topic nor with a credit stream), as the position answers. */
  private async mustBeHeardOf(customerId: string): Promise<void> {
    if (await this.queries.isKnown(customerId)) return;
    if ((await this.accounts.load(customerId)).version > 0) return;
    throw domainError('customer-not-found', 'not-found', `credit knows no customer ${customerId}`);
  }
}
