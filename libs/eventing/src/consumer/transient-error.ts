/**
 * node-postgres reports a lost or unobtainable connection with a plain Error and no SQLSTATE
 * (pg 8: client.js, pg-pool): a server restart mid-batch, an idle pooled connection the restart
 * killed, or a pool that could not connect in time. They say nothing about the event either.
 */
const CONNECTION_LOST = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
];

/**
 * Errors that say nothing about the event: the database is failing over, deadlocked, out of
 * resources or being restarted (SQLSTATE classes 08, 40, 53, 57), the socket broke, the
 * connection was lost (node-postgres, no code), or Kafka answered a handler's heartbeat that
 * the group is rebalancing (kafkajs's errors, named `KafkaJS…`: the member must rejoin, and the
 * fault test saw such events parked). Such an event is retried by redelivery, never parked.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof Error && error.name.startsWith('KafkaJS')) return true;
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string') {
    return ['08', '40', '53', '57'].includes(code.slice(0, 2))
      || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTCONN'].includes(code);
  }
  const message = error instanceof Error ? error.message : '';
  return CONNECTION_LOST.some((lost) => message.startsWith(lost));
}
