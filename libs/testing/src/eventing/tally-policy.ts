import { Decider, EventEnvelope } from '@crm/contracts';
import { commandHandlerFor, Policy, PostgresEventStore } from '@crm/eventing';

type Tally = { count: number };
type Add = { type: 'Add'; data: { cause: string } };
type Added = { type: 'Added'; schemaVersion: 1; data: { cause: string } };
const tally: Decider<Tally, Add, Added> = {
  initialState: () => ({ count: 0 }),
  decide: (c) => [{ type: 'Added', schemaVersion: 1, data: { cause: c.data.cause } }],
  evolve: (s, _e) => ({ count: s.count + 1 }),
};

/**
 * A policy for the policy specs: every event on `topic` adds one to its subject's tally stream
 * (`tally-<subject>`); `afterSend` runs after each command's append (a crash point for tests).
 */
export function tallyPolicy(store: PostgresEventStore, topic: string, afterSend: (event: EventEnvelope) => void = () => undefined): Policy {
  const handler = commandHandlerFor(store, { name: 'tally', decider: tally });
  return {
    name: 'tally',
    topics: [topic],
    handle: (event) => [{
      key: 'add',
      send: async (context) => {
        const result = await handler.execute({
          streamId: `tally-${event.subject}`, partitionKey: event.subject, command: { type: 'Add', data: { cause: event.id } },
          metadata: { actor: { id: 'policy:tally', roles: [] }, correlationId: context.correlationId, causationId: context.causationId },
          now: event.time, idempotency: { scope: 'Add', key: context.idempotencyKey, request: { cause: event.id } },
          respond: (_events, version) => ({ version }),
        });
        afterSend(event);
        return result;
      },
    }],
  };
}
