import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Inject, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { domainError } from '@crm/contracts';
import { ComplaintEvent, ComplaintState } from '@crm/engagement-domain';
import { BusinessClock, eventMetadata, Roles, SERVICE_CONFIG, ServiceConfig, UuidParam, Answers, PlatformRequest } from '@crm/platform';
import { EngagementCustomers } from '../customer-directory/engagement-customers';
import { ComplaintSlaPolicies } from './complaint-sla-policies';
import { ComplaintStreams } from './complaint-streams';
import { ComplaintsQueryDto, RaiseComplaintDto, ResolveComplaintDto } from './complaints.dto';
import { ComplaintQueries } from './complaints.queries';
import { ENGAGEMENT_READERS } from '../engagement-roles';
import { COMPLAINT, COMPLAINT_ACKNOWLEDGED, COMPLAINT_RAISED, COMPLAINT_RESOLVED, COMPLAINTS } from '../answers/engagement-answers';

/** The complaint as the write side has it (read-your-writes after a POST). */
function complaintView(state: ComplaintState) {
  const clocks = state.clocks!;
  return {
    id: state.complaintId, customerId: state.customerId, category: state.category, severity: state.severity, description: state.description,
    status: state.status, raisedAt: state.raisedAt, raisedBy: state.raisedBy,
    sla: { ...state.sla, acknowledgeBy: clocks.acknowledge.deadline, resolveBy: clocks.resolve.deadline },
    acknowledgedAt: clocks.acknowledge.doneAt, acknowledgedBy: state.acknowledgedBy,
    resolvedAt: clocks.resolve.doneAt, resolvedBy: state.resolvedBy, resolution: state.resolution,
    breaches: (['acknowledge', 'resolve'] as const).filter((c) => clocks[c].breachedAt !== null)
      .map((clock) => ({ clock, deadline: clocks[clock].deadline, detectedAt: clocks[clock].breachedAt })),
    slaBreached: clocks.acknowledge.breachedAt !== null || clocks.resolve.breachedAt !== null,
  };
}

const typesOf = (events: ComplaintEvent[]) => events.map((e) => e.type);

/** Complaints with SLA clocks: acknowledge, then resolve, each within the hours of the customer's ABC class. */
@ApiTags('complaints')
@ApiBearerAuth()
@Controller('v1/complaints')
export class ComplaintsController {
  constructor(
    private readonly streams: ComplaintStreams,
    private readonly customers: EngagementCustomers,
    private readonly policies: ComplaintSlaPolicies,
    private readonly queries: ComplaintQueries,
    private readonly clock: BusinessClock,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Answers(COMPLAINT_RAISED, { status: 201, summary: 'Raise a complaint for a customer; its SLA clocks start', problems: { 409: ['complaint-exists'], 422: ['unknown-customer'] } })
  @Post()
  @Roles('sales', 'account_manager')
  @ApiHeader({ name: 'idempotency-key', required: false, description: 'A retried POST with the same key never raises a second complaint' })
  async raise(@Body() body: RaiseComplaintDto, @Req() request: PlatformRequest, @Headers('idempotency-key') key?: string) {
    const [customer, policy] = await Promise.all([this.customers.require(body.customerId), this.policies.current()]);
    const { now } = this.clock.now();
    const complaintId = randomUUID();
    return this.streams.complaint(complaintId, body.customerId, {
      type: 'RaiseComplaint',
      data: { complaintId, customerId: body.customerId, category: body.category, severity: body.severity, description: body.description,
        raisedAt: now, raisedBy: request.actor.id },
      context: { abcClass: customer.abcClass, policy, timeZone: this.config.businessTimeZone },
    }, {
      metadata: eventMetadata(request, 'RaiseComplaint'), now, idempotencyKey: key, request: body,
      respond: ([e]) => {
        if (e.type !== 'ComplaintRaised') throw new Error(`RaiseComplaint recorded ${e.type}`);
        return { id: e.data.complaintId, status: 'open', customerId: e.data.customerId, sla: e.data.sla };
      },
    });
  }

  @Answers(COMPLAINTS, { summary: 'Complaints by customer and status, in keyset pages' })
  @Get()
  @Roles(...ENGAGEMENT_READERS)
  list(@Query() q: ComplaintsQueryDto) {
    return this.queries.complaints({ customerId: q.customerId, status: q.status,
      slaBreached: q.slaBreached === undefined ? undefined : q.slaBreached === 'true', cursor: q.cursor, limit: q.limit ?? 50 });
  }

  @Answers(COMPLAINT, { summary: 'A complaint with its SLA deadlines and breaches', problems: { 404: ['complaint-not-found'] } })
  @Get(':id')
  @Roles(...ENGAGEMENT_READERS)
  async get(@UuidParam('id') id: string) {
    return complaintView(await this.existing(id));
  }

  @Answers(COMPLAINT_ACKNOWLEDGED, { summary: 'Acknowledge a complaint (stops its acknowledge clock)', problems: { 404: ['complaint-not-found'], 409: ['complaint-already-acknowledged', 'complaint-already-resolved'] } })
  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles('sales', 'account_manager')
  @ApiHeader({ name: 'idempotency-key', required: false })
  async acknowledge(@UuidParam('id') id: string, @Req() request: PlatformRequest, @Headers('idempotency-key') key?: string) {
    const complaint = await this.existing(id);
    const { now } = this.clock.now();
    return this.streams.complaint(id, complaint.customerId!, { type: 'AcknowledgeComplaint', data: { acknowledgedAt: now, acknowledgedBy: request.actor.id } }, {
      metadata: eventMetadata(request, 'AcknowledgeComplaint'), now, idempotencyKey: key, request: { id },
      respond: (events) => ({ id, status: 'acknowledged', acknowledgedAt: now, recorded: typesOf(events) }),
    });
  }

  @Answers(COMPLAINT_RESOLVED, { summary: 'Resolve a complaint with its resolution (a survey is requested)', problems: { 404: ['complaint-not-found'], 409: ['complaint-not-acknowledged', 'complaint-already-resolved'] } })
  @Post(':id/resolve')
  @HttpCode(200)
  @Roles('sales', 'account_manager')
  @ApiHeader({ name: 'idempotency-key', required: false })
  async resolve(@UuidParam('id') id: string, @Body() body: ResolveComplaintDto, @Req() request: PlatformRequest, @Headers('idempotency-key') key?: string) {
    const complaint = await this.existing(id);
    const { now } = this.clock.now();
    return this.streams.complaint(id, complaint.customerId!, {
      type: 'ResolveComplaint', data: { resolution: body.resolution, resolvedAt: now, resolvedBy: request.actor.id },
    }, {
      metadata: eventMetadata(request, 'ResolveComplaint'), now, idempotencyKey: key, request: { id, body },
      respond: (events) => ({ id, status: 'resolved', resolvedAt: now, resolution: body.resolution, recorded: typesOf(events) }),
    });
  }

  private async existing(id: string): Promise<ComplaintState> {
    const { state, version } = await this.streams.load(id);
    if (version === 0 || !state.complaintId) throw domainError('complaint-not-found', 'not-found', `complaint ${id} not found`);
    return state;
  }
}
