import { ConfigError, loadServiceConfig } from './service-config';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/customers',
  KAFKA_BROKERS: '127.0.0.1:9092',
  AUTH_DEV_SECRET: 'a-development-secret',
};

describe('service configuration from the environment', () => {
  it('reads a valid environment with defaults', () => {
    const config = loadServiceConfig('customers', 3001, valid);
    expect(config).toMatchObject({ port: 3001, kafkaBrokers: ['127.0.0.1:9092'], kafkaPartitions: 6, auth: { mode: 'dev' } });
  });

  it('names every missing or bad value at once', () => {
    try {
      loadServiceConfig('customers', 3001, { KAFKA_BROKERS: 'nohostport', PORT: 'abc', AUTH_MODE: 'jwks', BUSINESS_TIME_ZONE: 'Mars/Olympus' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/DATABASE_URL is required/);
      expect(problems).toMatch(/KAFKA_BROKERS entry "nohostport"/);
      expect(problems).toMatch(/PORT must be an integer/);
      expect(problems).toMatch(/AUTH_JWKS_URL is required/);
      expect(problems).toMatch(/BUSINESS_TIME_ZONE must be an IANA time zone/);
      expect(problems).toMatch(/PERSONAL_DATA_MASTER_KEY is required when AUTH_MODE=jwks/);
    }
  });

  it('takes a 32-byte base64 personal-data master key and refuses anything else', () => {
    const key = Buffer.alloc(32, 7);
    expect(loadServiceConfig('customers', 3001, { ...valid, PERSONAL_DATA_MASTER_KEY: key.toString('base64') }).personalDataMasterKey).toEqual(key);
    expect(() => loadServiceConfig('customers', 3001, { ...valid, PERSONAL_DATA_MASTER_KEY: Buffer.alloc(16).toString('base64') }))
      .toThrow(/PERSONAL_DATA_MASTER_KEY must be 32 bytes/);
  });
});
