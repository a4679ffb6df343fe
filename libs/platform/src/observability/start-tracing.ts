import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';

/**
 * OpenTelemetry for a service, configured by the standard variables (OTEL_EXPORTER_OTLP_ENDPOINT,
 * OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_TRACES_EXPORTER, OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER…) and
 * off when none asks for traces. Imported first by every main.ts: http and pg are patched only
 * if the SDK starts before they are loaded. Kafka spans come from the eventing core (its
 * relay, consumers and policies), which continues each event's trace from its traceparent.
 */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  const exporter = env.OTEL_TRACES_EXPORTER;
  if (exporter) return exporter !== 'none';
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** The service a process runs, from its entry file (apps/<name>/src/main.ts or dist/apps/<name>/main.js). */
export function serviceOfEntry(entry: string | undefined): string | undefined {
  return entry?.match(/apps[/\\](\w+)[/\\]/)?.[1];
}

const QUIET_PATHS = /^\/(health|metrics)/;

if (tracingRequested(process.env)) {
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME ?? `crm-${serviceOfEntry(process.argv[1]) ?? 'service'}`,
    instrumentations: [
      // Probes and scrapes every few seconds would bury the requests that matter.
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => QUIET_PATHS.test(request.url ?? '') }),
      new PgInstrumentation(),
    ],
  });
  sdk.start();
  // Flush what is buffered when the service shuts down.
  process.once('beforeExit', () => void sdk.shutdown());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void sdk.shutdown());
}
