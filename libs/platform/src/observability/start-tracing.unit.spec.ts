import { serviceOfEntry, tracingRequested } from './start-tracing';

describe('OpenTelemetry start-up switch (standard OTEL_* variables)', () => {
  it('is off unless an exporter or an OTLP endpoint is configured, and OTEL_SDK_DISABLED wins', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
    expect(tracingRequested({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
  });

  it('names the service after its entry file', () => {
    expect(serviceOfEntry('/app/dist/apps/receivables/main.js')).toBe('receivables');
    expect(serviceOfEntry('/work/main/apps/engagement/src/main.ts')).toBe('engagement');
    expect(serviceOfEntry(undefined)).toBeUndefined();
  });
});
