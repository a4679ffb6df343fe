import { EngagementFeature } from '../engagement-feature';
import { complaintHandlers, ComplaintStreams } from './complaint-streams';
import { ComplaintSurveyPolicy } from './complaint-survey.policy';
import { ComplaintsController } from './complaints.controller';
import { ComplaintsDayClose } from './complaints-day-close';
import { complaintsProjections } from './complaints.projections';
import { ComplaintQueries } from './complaints.queries';
import { SlaDeadlineWatch } from './sla-deadline-watch';
import { SurveysController } from './surveys.controller';

/** Complaints with SLA clocks, surveys and satisfaction by segment (ADR 18). */
export const complaintsFeature: EngagementFeature = {
  projections: complaintsProjections,
  policies: [ComplaintSurveyPolicy],
  controllers: [ComplaintsController, SurveysController],
  providers: [...complaintHandlers, ComplaintStreams, ComplaintQueries, ComplaintSurveyPolicy, ComplaintsDayClose, SlaDeadlineWatch],
  dayClose: ComplaintsDayClose,
};
