import { EventEnvelope } from '@crm/contracts';
import { EventHandler, HandlerContext } from '@crm/eventing';

/** Test read model: every applied event as a row, in the order the consumer applied it. */
export const receivedDdl = (table = 'received') => `CREATE TABLE IF NOT EXISTS ${table} (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id uuid NOT NULL,
  stream_id text NOT NULL,
  stream_version integer NOT NULL,
  data jsonb NOT NULL
);`;

export class ReceivedEventsHandler implements EventHandler {
  constructor(
    private readonly table = 'received',
    private readonly failWhen: (e: EventEnvelope) => boolean = () => false,
  ) {}

  async handle(events: EventEnvelope[], { tx }: HandlerContext): Promise<void> {
    for (const e of events) {
      if (this.failWhen(e)) throw new Error(`cannot handle ${e.type} ${e.id}`);
    }
    await tx.query(
      `INSERT INTO ${this.table} (event_id, stream_id, stream_version, data)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::jsonb[])`,
      [events.map((e) => e.id), events.map((e) => e.streamId), events.map((e) => e.streamVersion),
        events.map((e) => JSON.stringify(e.data))]);
  }
}
