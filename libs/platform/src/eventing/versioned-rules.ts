import { Decider, EventMetadata } from '@crm/contracts';
import { CommandHandler, commandHandlerFor, DomainEvent, PostgresEventStore } from '@crm/eventing';
import { Logger } from 'pino';

export interface RuleChangeOptions {
  /** The request's metadata; the change's command is named by the rule set itself. */
  metadata: Omit<EventMetadata, 'command'>;
  now: string;
  /** The business date of the change, for rule sets that record it. */
  today: string;
  idempotencyKey?: string;
  /** What the Idempotency-Key is bound to (a retry with another body is refused). */
  request?: unknown;
}

/** What a change answers: the version in force after it and whether anything changed. */
export interface RuleChangeAnswer {
  version: number;
  changed: boolean;
}

/**
 * A versioned rule set kept in one stream of `…PolicyChanged` events (rules are data): every
 * change is an event whose `version` the decisions made under it record, and the decider
 * turns a change that changes nothing into no event. A service's rule set extends this with
 * its stream, decider and `change`: the command that records new rules `R` (what
 * versionedPolicyController's PUT proposes).
 */
export abstract class VersionedRules<S extends { version: number }, C extends { type: string; data: unknown }, E extends DomainEvent & { data: { version: number } }, R> {
  private readonly handler: CommandHandler<S, C, E>;

  protected constructor(store: PostgresEventStore, logger: Logger, private readonly stream: string, decider: Decider<S, C, E>) {
    this.handler = commandHandlerFor(store, { name: stream, decider, logger });
  }

  /** The version in force, as the caller's own copy (the handler's cached state is shared). */
  async current(): Promise<S> {
    return structuredClone((await this.handler.load(this.stream)).state);
  }

  /** Records `rules` as the next version when they differ from the version in force. */
  abstract change(rules: R, options: RuleChangeOptions): Promise<RuleChangeAnswer>;

  /**
   * Records a change; answers the version in force after it and whether anything changed. A
   * change that changes nothing answers the rules' own version (the default's before any change),
   * not the stream's, which is 0 until the first change.
   */
  protected async record(command: C, options: RuleChangeOptions): Promise<RuleChangeAnswer> {
    const answer = await this.handler.execute<{ version: number | null; changed: boolean }>({
      streamId: this.stream, partitionKey: this.stream, command,
      metadata: { ...options.metadata, command: command.type }, now: options.now,
      idempotency: options.idempotencyKey ? { scope: command.type, key: options.idempotencyKey, request: options.request ?? command.data } : undefined,
      respond: (events) => ({ version: events[0]?.data.version ?? null, changed: events.length > 0 }),
    });
    return { version: answer.version ?? (await this.handler.load(this.stream)).state.version, changed: answer.changed };
  }
}
