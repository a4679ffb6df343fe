import { ConsentChannel, Decider, EngagementEventMap, TypedEvent } from '@crm/contracts';

/** A customer's greeting tasks (stream `care-<customerId>`). */
export type CareEvent = TypedEvent<Pick<EngagementEventMap, 'CareTaskCreated'>>;

/** Occasions already given a task: `birthday:<contactId>:<on>`, `holiday:<name>:<on>`. */
export interface CareState { occasions: Record<string, true> }

export interface CreateBirthdayTask {
  type: 'CreateBirthdayTask';
  data: { taskId: string; customerId: string; contactId: string; on: string; channels: ConsentChannel[]; causedBy: string };
}
export interface CreateHolidayTask {
  type: 'CreateHolidayTask';
  data: { taskId: string; customerId: string; holiday: string; on: string; channels: ConsentChannel[]; holidaysVersion: number; causedBy: string };
}
export type CareCommand = CreateBirthdayTask | CreateHolidayTask;

export const birthdayOccasion = (contactId: string, on: string) => `birthday:${contactId}:${on}`;
export const holidayOccasion = (holiday: string, on: string) => `holiday:${holiday}:${on}`;

/**
 * A birthday greeting is a task even with no consented channel (channels []: the account
 * manager greets in person; nothing is sent); a holiday greeting is a message to the customer,
 * so without a consented channel there is none. Each occasion once.
 */
function decide(command: CareCommand, state: CareState): CareEvent[] {
  const { data } = command;
  const channels = [...new Set(data.channels)].sort();
  switch (command.type) {
    case 'CreateBirthdayTask': {
      if (state.occasions[birthdayOccasion(command.data.contactId, data.on)]) return [];
      return [{ type: 'CareTaskCreated', schemaVersion: 1, data: {
        taskId: data.taskId, customerId: data.customerId, contactId: command.data.contactId, occasion: 'birthday', holiday: null, on: data.on,
        channels, holidaysVersion: null, causedBy: data.causedBy } }];
    }
    case 'CreateHolidayTask': {
      if (channels.length === 0 || state.occasions[holidayOccasion(command.data.holiday, data.on)]) return [];
      return [{ type: 'CareTaskCreated', schemaVersion: 1, data: {
        taskId: data.taskId, customerId: data.customerId, contactId: null, occasion: 'holiday', holiday: command.data.holiday, on: data.on,
        channels, holidaysVersion: command.data.holidaysVersion, causedBy: data.causedBy } }];
    }
    default: {
      const unhandled: never = command;
      throw new Error(`unknown command ${(unhandled as { type: string }).type}`);
    }
  }
}

export const careCalendarDecider: Decider<CareState, CareCommand, CareEvent> = {
  initialState: () => ({ occasions: {} }),
  evolve: (state, e) => {
    const d = e.data;
    state.occasions[d.occasion === 'birthday' ? birthdayOccasion(d.contactId!, d.on) : holidayOccasion(d.holiday!, d.on)] = true;
    return state;
  },
  decide,
};
