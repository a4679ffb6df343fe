import { EngagementFeature } from '../engagement-feature';
import { ComplaintSlaPolicyController } from './complaint-sla-policy.controller';
import { ComplaintSlaPolicies } from './complaint-sla-policies';
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
  controllers: [ComplaintSlaPolicyController, ComplaintsController, SurveysController],
  providers: [
    ...complaintHandlers, ComplaintSlaPolicies, ComplaintStreams, ComplaintQueries, ComplaintSurveyPolicy,
    ComplaintsDayClose, SlaDeadlineWatch,
  ],
  dayClose: ComplaintsDayClose,
};
