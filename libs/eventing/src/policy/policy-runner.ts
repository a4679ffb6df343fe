import { EventEnvelope } from '@crm/contracts';
import { Pool } from 'pg';
import { Logger } from 'pino';
import { ConsumerRunner } from '../consumer/consumer-runner';
import { inboxDdl } from '../consumer/consumer.sql';
import { EventHandler, HandlerContext } from '../consumer/event-handler';
import { Transport } from '../transport/transport';
import { UpcasterRegistry } from '../upcasting/upcaster-registry';
import { Policy, policyCommandKey } from './policy';
import { traceReaction } from '../tracing/tracing';

export interface PolicyRunnerOptions {
  groupPrefix: string;
  upcasters?: UpcasterRegistry;
  logger?: Logger;
  deadLetterTopic?: string;
  maxAttempts?: number;
  backoffMs?: number;
  /**
   * Partitions whose events are handled at the same time (default 3). A policy sends a command
   * per event, a transaction and an append each: one partition at a time, a policy fed 200
   * events/s fell minutes behind (the loyalty path of issue 12). Order within a partition,
   * hence per key, is kept; commands of different keys touch different streams.
   */
  partitionsConcurrently?: number;
}

/**
 * Runs a policy on its own consumer group with the consumer machinery (inbox, checkpoint,
 * retries, parking). Each command goes through the command handler with an idempotency key
 * derived from the causing event: if the process dies after a command's append but before
 * the consumer's commit, the redelivered event finds the first answer and appends nothing.
 */
export class PolicyRunner {
  private readonly consumer: ConsumerRunner;
  private readonly inbox: string;

  constructor(private readonly pool: Pool, transport: Transport, private readonly policy: Policy, options: PolicyRunnerOptions) {
    this.inbox = `policy_${policy.name.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}_inbox`;
    this.consumer = new ConsumerRunner(pool, transport, this.handler(options.logger), {
      name: `policy:${policy.name}`,
      groupId: `${options.groupPrefix}.policy.${policy.name}`,
      topics: policy.topics,
      inboxTable: this.inbox,
      deadLetterTopic: options.deadLetterTopic,
      maxAttempts: options.maxAttempts,
      backoffMs: options.backoffMs,
      partitionsConcurrently: options.partitionsConcurrently ?? 3,
      // A new group reads from the start, so no event is missed between a deployment and the
      // group's first join; a policy must therefore be safe on history (see ADR 13).
      fromBeginning: true,
    }, options.upcasters, options.logger);
  }

  get name(): string {
    return this.policy.name;
  }

  async start(): Promise<void> {
    await this.pool.query(inboxDdl(this.inbox));
    await this.consumer.start();
  }

  async stop(): Promise<void> {
    await this.consumer.stop();
  }

  replayParked(key?: string) {
    return this.consumer.replayParked(key);
  }

  private handler(logger?: Logger): EventHandler {
    const policy = this.policy;
    return {
      relevant: policy.reactsTo?.bind(policy),
      async handle(events: EventEnvelope[], context: HandlerContext): Promise<void> {
        // History re-read by a rebuild is not re-lived: no commands.
        if (context.mode === 'rebuild') return;
        for (const event of events) {
          await traceReaction(policy.name, event, async () => {
            for (const command of await policy.handle(event, { tx: context.tx })) {
              await command.send({
                idempotencyKey: policyCommandKey(policy.name, event, command.key),
                causationId: event.id,
                correlationId: event.metadata?.correlationId ?? event.id,
              });
              // A day close sends thousands of commands for one event: stay in the group meanwhile.
              await context.heartbeat?.();
            }
          });
        }
        if (events.length) logger?.debug({ policy: policy.name, events: events.length }, 'policy applied');
      },
    };
  }
}
