import { ConsentChannel, EventEnvelope, isEventOf } from '@crm/contracts';

export interface CareTaskDoc {
  id: string; customerId: string; contactId: string | null; occasion: 'birthday' | 'holiday'; holiday: string | null; on: string;
  channels: ConsentChannel[]; holidaysVersion: number | null; createdAt: string;
}

export function careTaskKey(e: EventEnvelope): string | undefined {
  return isEventOf(e, 'CareTaskCreated') ? e.data.taskId : undefined;
}

/** The care calendar: one document per task, written once; time from the event. */
export function evolveCareTaskDoc(doc: CareTaskDoc | undefined, e: EventEnvelope): CareTaskDoc | null {
  if (!isEventOf(e, 'CareTaskCreated')) return doc ?? null;
  const d = e.data;
  return { id: d.taskId, customerId: d.customerId, contactId: d.contactId, occasion: d.occasion, holiday: d.holiday, on: d.on, channels: d.channels,
    holidaysVersion: d.holidaysVersion, createdAt: e.time };
}
