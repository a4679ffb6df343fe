import { isTransientKafkaError } from './kafkajs-log-levels';

describe('kafkajs error lines that are a broker settling', () => {
  it.each([
    ['Response Metadata(key: 3, version: 6)', 'There is no leader for this topic-partition as we are in the middle of a leadership election'],
    ['Response ListOffsets(key: 2, version: 4)', 'This server does not host this topic-partition'],
    ['Response Produce(key: 0, version: 7)', 'This server is not the leader for that topic-partition'],
    ['Response GroupCoordinator(key: 10, version: 2)', 'The group coordinator is not available'],
    ['Response JoinGroup(key: 11, version: 5)', 'The coordinator is loading and hence can\'t process requests'],
    ['Response SyncGroup(key: 14, version: 3)', 'This is not the correct coordinator'],
    ['Response Heartbeat(key: 12, version: 3)', 'The group is rebalancing, so a rejoin is needed'],
    ['Crash: KafkaJSProtocolError: The coordinator is not available', undefined],
    ['Restarting the consumer in 300ms', undefined],
    ['The coordinator is not aware of this member, re-joining the group', undefined],
    ['Response CreateTopics(key: 19, version: 3)', 'Topic creation errors'],
    ['Crash: KafkaJSConnectionClosedError: Closed connection', undefined],
    ['Connection error: write after end', undefined],
    ['Crash: KafkaJSConnectionError: Connection error: write after end', undefined],
  ])('%s (%s) is transient', (message, error) => {
    expect(isTransientKafkaError(message, { error })).toBe(true);
  });

  it.each([
    ['Response Produce(key: 0, version: 7)', 'Broker: Message size too large'],
    ['Connection error: connect ECONNREFUSED 127.0.0.1:9092', undefined],
    ['Crash: KafkaJSConnectionError: Connection error: connect ECONNREFUSED 127.0.0.1:9092', undefined],
    ['Response SaslAuthenticate(key: 36, version: 1)', 'Authentication failed'],
    ['Crash: KafkaJSNonRetriableError: Topic authorization failed', undefined],
    ['Response CreateTopics(key: 19, version: 3)', 'Replication factor: 3 larger than available brokers: 1'],
  ])('%s (%s) stays an error', (message, error) => {
    expect(isTransientKafkaError(message, { error })).toBe(false);
  });
});
