import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, eventsTopic, isEventOf } from '@crm/contracts';
import { Policy, PolicyCommand } from '@crm/eventing';
import { SERVICE_CONFIG, ServiceConfig } from '@crm/platform';
import { ComplaintStreams } from './complaint-streams';

const POLICY = 'complaint-survey';

/** A UUID made from the complaint's: one survey stream per complaint, whatever replays or redeliveries do. */
export function surveyIdFor(complaintId: string): string {
  const h = createHash('sha256').update(`survey:complaint:${complaintId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A resolved complaint schedules a CSAT survey (`SurveyRequested`, stream `survey-<id>`), requested at the resolution's time. */
@Injectable()
export class ComplaintSurveyPolicy implements Policy {
  readonly name = POLICY;
  readonly topics: string[];

  constructor(private readonly streams: ComplaintStreams, @Inject(SERVICE_CONFIG) config: ServiceConfig) {
    this.topics = [eventsTopic('engagement', config.kafkaTopicPrefix)];
  }

  reactsTo(event: EventEnvelope): boolean {
    return isEventOf(event, 'ComplaintResolved');
  }

  handle(event: EventEnvelope): PolicyCommand[] {
    if (!isEventOf(event, 'ComplaintResolved')) return [];
    const { complaintId, customerId, resolvedAt } = event.data;
    return [{
      key: 'csat',
      send: (context) => this.streams.requestSurvey({
        type: 'RequestSurvey',
        data: { surveyId: surveyIdFor(complaintId), customerId, kind: 'csat', reason: 'complaint-resolved', complaintId, requestedAt: resolvedAt },
      }, {
        metadata: { actor: { id: `policy:${POLICY}`, roles: [] }, correlationId: context.correlationId, causationId: context.causationId },
        now: resolvedAt, idempotencyKey: context.idempotencyKey, request: { complaintId },
        respond: (events) => events.map((e) => e.type),
      }),
    }];
  }
}
