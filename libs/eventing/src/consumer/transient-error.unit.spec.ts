import { isTransient } from './transient-error';

describe('transient errors (redelivered, not parked)', () => {
  it.each([['40P01', 'deadlock'], ['40001', 'serialization failure'], ['57P01', 'admin shutdown'], ['08006', 'connection failure'], ['53300', 'too many connections'], ['ECONNRESET', 'socket reset']])(
    '%s (%s) is transient', (code: string, _what: string) => expect(isTransient(Object.assign(new Error('x'), { code }))).toBe(true));

  // What node-postgres throws, without a code, when PostgreSQL restarts under a batch: before,
  // such an event was parked as if it were poison.
  it.each([['Connection terminated unexpectedly'], ['Connection terminated due to connection timeout'], ['timeout exceeded when trying to connect'],
    ['Client has encountered a connection error and is not queryable']])(
    'a lost connection (%s) is transient', (message: string) => expect(isTransient(new Error(message))).toBe(true));

  // What kafkajs throws from a handler's heartbeat while the group rebalances (the fault test
  // parked events so after a replica was killed).
  it('a heartbeat refused by a rebalancing group is transient', () => {
    const rebalancing = Object.assign(new Error('The group is rebalancing, so a rejoin is needed'), { name: 'KafkaJSProtocolError', type: 'REBALANCE_IN_PROGRESS', retriable: true });
    expect(isTransient(rebalancing)).toBe(true);
  });

  it.each([['23505', 'unique violation'], ['22P02', 'invalid input'], [undefined, 'a bug in the handler']])(
    '%s (%s) is not', (code: string | undefined, _what: string) => expect(isTransient(Object.assign(new Error('x'), { code }))).toBe(false));

  it('a handler error that merely mentions a connection is not', () =>
    expect(isTransient(new Error('customer 42: Connection terminated is not a valid reason'))).toBe(false));
});
