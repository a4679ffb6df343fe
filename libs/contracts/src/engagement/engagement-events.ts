import { EventContract } from '../json-schema';
import { date, obj, str } from '../schema-builders';
import { churnContracts } from './churn-events';
import { complaintContracts } from './complaint-events';
import { interactionContracts } from './interaction-events';
import { loyaltyContracts } from './loyalty-events';

/** Engagement's business calendar: a day closed (expiry, downgrades, missed follow-ups, SLA breaches, churn, care tasks). */
export interface EngagementBusinessDayClosedV1 { businessDate: string; closedBy: string }

export const engagementContracts: EventContract[] = [
  ...loyaltyContracts, ...complaintContracts, ...interactionContracts, ...churnContracts,
  { type: 'EngagementBusinessDayClosed', version: 1, schema: obj({ businessDate: date(), closedBy: str() }) },
];
