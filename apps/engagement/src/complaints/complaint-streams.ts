import { Inject, Injectable } from '@nestjs/common';
import {
  complaintDecider, ComplaintCommand, ComplaintEvent, ComplaintState, nextSlaDueOn, RecordSurveyResponse, RequestSurvey, surveyDecider,
  SurveyEvent, surveyResponseDecider, SurveyResponseEvent, SurveyResponseState, SurveyState,
} from '@crm/engagement-domain';
import { CommandHandler, VersionedState } from '@crm/eventing';
import { provideCommandHandler, StreamCommandOptions } from '@crm/platform';

export const complaintStream = (complaintId: string) => `complaint-${complaintId}`;
export const complaintOfStream = (streamId: string) => streamId.slice('complaint-'.length);
/** Schedule category: the day close looks at complaints whose next running SLA deadline falls on or before the date. */
export const COMPLAINT_SLA_SCHEDULE = 'complaint-sla';

const COMPLAINT_HANDLER = Symbol('COMPLAINT_HANDLER');
const SURVEY_HANDLER = Symbol('SURVEY_HANDLER');
const SURVEY_RESPONSE_HANDLER = Symbol('SURVEY_RESPONSE_HANDLER');

export const complaintHandlers = [
  provideCommandHandler(COMPLAINT_HANDLER, {
    name: 'complaint', decider: complaintDecider, snapshots: { schemaVersion: 1 },
    schedule: { category: COMPLAINT_SLA_SCHEDULE, nextDueOn: nextSlaDueOn },
  }),
  provideCommandHandler(SURVEY_HANDLER, { name: 'survey', decider: surveyDecider }),
  provideCommandHandler(SURVEY_RESPONSE_HANDLER, { name: 'survey-response', decider: surveyResponseDecider }),
];

const idempotency = (scope: string, options: { idempotencyKey?: string; request?: unknown }) =>
  (options.idempotencyKey ? { scope, key: options.idempotencyKey, request: options.request ?? null } : undefined);

/** The complaint, survey and survey-response streams: one stream each, partitioned by customer. */
@Injectable()
export class ComplaintStreams {
  constructor(
    @Inject(COMPLAINT_HANDLER) private readonly complaints: CommandHandler<ComplaintState, ComplaintCommand, ComplaintEvent>,
    @Inject(SURVEY_HANDLER) private readonly surveys: CommandHandler<SurveyState, RequestSurvey, SurveyEvent>,
    @Inject(SURVEY_RESPONSE_HANDLER) private readonly responses: CommandHandler<SurveyResponseState, RecordSurveyResponse, SurveyResponseEvent>,
  ) {}

  complaint<R>(complaintId: string, customerId: string, command: ComplaintCommand, options: StreamCommandOptions<ComplaintEvent, R>): Promise<R> {
    return this.complaints.execute({
      streamId: complaintStream(complaintId), partitionKey: customerId, command, metadata: { ...options.metadata, command: command.type },
      now: options.now, idempotency: idempotency(command.type, options), respond: options.respond,
    });
  }

  /** The complaint and its version; read it at once (the state is shared). */
  load(complaintId: string): Promise<VersionedState<ComplaintState>> {
    return this.complaints.load(complaintStream(complaintId));
  }

  /** After a close that recorded nothing: the stream's schedule from its state. */
  reschedule(complaintId: string, customerId: string): Promise<string | null> {
    return this.complaints.reschedule(complaintStream(complaintId), customerId);
  }

  requestSurvey<R>(command: RequestSurvey, options: StreamCommandOptions<SurveyEvent, R>): Promise<R> {
    return this.surveys.execute({
      streamId: `survey-${command.data.surveyId}`, partitionKey: command.data.customerId, command, metadata: { ...options.metadata, command: command.type },
      now: options.now, idempotency: idempotency(command.type, options), respond: options.respond,
    });
  }

  recordResponse<R>(command: RecordSurveyResponse, options: StreamCommandOptions<SurveyResponseEvent, R>): Promise<R> {
    return this.responses.execute({
      streamId: `survey-response-${command.data.responseId}`, partitionKey: command.data.customerId, command,
      metadata: { ...options.metadata, command: command.type }, now: options.now, idempotency: idempotency(command.type, options), respond: options.respond,
    });
  }
}
