/**
 * kafkajs logs at ERROR what it retries by itself while a broker settles: a fresh topic's
 * leader election, a partition the broker does not host yet, a group coordinator still
 * loading, a rebalance. On a fresh broker every service's start-up would show such `level: 50`
 * lines, which alerting on errors must not count. They are logged as warnings instead; the
 * same states lasting past kafkajs's retries surface as the caller's own error.
 */
const TRANSIENT = [
  /leadership election/i, // LEADER_NOT_AVAILABLE
  /does not host this topic-partition/i, // UNKNOWN_TOPIC_OR_PARTITION (a topic just created)
  /not the leader for that topic-partition/i, // NOT_LEADER_FOR_PARTITION
  /coordinator is not available/i, // (GROUP_)COORDINATOR_NOT_AVAILABLE
  /not the correct coordinator/i, // NOT_COORDINATOR
  /coordinator is loading/i, // COORDINATOR_LOAD_IN_PROGRESS
  /group is rebalancing/i, // REBALANCE_IN_PROGRESS
  /coordinator is not aware of this member/i, // UNKNOWN_MEMBER_ID: re-joins
  /^Restarting the consumer in/, // after a retriable crash
  // A consumer whose connection the broker closed (a fresh broker moving a group's coordinator)
  // restarts by itself; an outage that lasts shows as consumer lag and a stalled relay.
  /^Crash: KafkaJSConnectionClosedError/,
  // The same close seen from the other side: the broker ended the socket and kafkajs's next
  // request on it fails with "write after end" (a retriable KafkaJSConnectionError; the
  // consumer restarts). Seen on a fresh broker in CI's start-up spec.
  /^Connection error: write after end/,
  /^Crash: KafkaJSConnectionError: Connection error: write after end/,
] as const;

/**
 * Services starting together create the same topics: the losers' CreateTopics answer
 * TOPIC_ALREADY_EXISTS, which the transport accepts (ensureTopics); any other creation error
 * fails the start through the transport's own error.
 */
const TOPIC_CREATION = /^Response CreateTopics\b/;

/** True when a kafkajs ERROR line (its message and the error it carries) is one of those states. */
export function isTransientKafkaError(message: string, extra: Record<string, unknown> = {}): boolean {
  const error = typeof extra.error === 'string' ? extra.error : '';
  if (TOPIC_CREATION.test(message) && /topic creation errors|already exists/i.test(error)) return true;
  return TRANSIENT.some((pattern) => pattern.test(`${message} ${error}`));
}
