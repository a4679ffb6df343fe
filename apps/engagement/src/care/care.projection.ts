import { eventsTopic } from '@crm/contracts';
import { CareTaskDoc, careTaskKey, evolveCareTaskDoc } from '@crm/engagement-domain';
import { DocumentProjection } from '@crm/eventing';

/** The care calendar: greeting tasks by date. */
export function careTasksProjection(prefix: string): DocumentProjection<CareTaskDoc> {
  return {
    name: 'care-tasks',
    table: 'engagement_care_tasks',
    topics: [eventsTopic('engagement', prefix)],
    columns: [`on_date text GENERATED ALWAYS AS (doc->>'on') STORED`],
    indexes: ['(on_date, id)'],
    keyOf: careTaskKey,
    evolve: evolveCareTaskDoc,
  };
}
