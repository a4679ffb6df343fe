import { Counter, Gauge, Histogram, register } from 'prom-client';

/** prom-client throws on double registration; services and tests create stores more than once. */
function once<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

export const eventsAppendedTotal = () =>
  once('crm_events_appended_total', () => new Counter({
    name: 'crm_events_appended_total', help: 'Events appended to the event store', labelNames: ['type'],
  }));

export const relayPublishedTotal = () =>
  once('crm_relay_published_total', () => new Counter({
    name: 'crm_relay_published_total', help: 'Events the relay published and checkpointed', labelNames: ['topic'],
  }));

export const relayLagEvents = () =>
  once('crm_relay_lag_events', () => new Gauge({
    name: 'crm_relay_lag_events', help: 'Committed events not yet published', labelNames: ['topic'],
  }));

/** What one running relay reports at each scrape (see Relay.health()). */
export interface RelayHealthSample {
  topic: string;
  stalled: boolean;
  secondsWithoutProgress: number;
}

const relayHealthSources = new Set<() => RelayHealthSample>();

/** Gauges computed at scrape time: a relay blocked in a publish cannot update them itself. */
function relayHealthGauge(name: string, help: string, value: (sample: RelayHealthSample) => number) {
  return once(name, () => new Gauge({
    name, help, labelNames: ['topic'],
    collect() {
      this.reset();
      for (const source of relayHealthSources) {
        const sample = source();
        this.set({ topic: sample.topic }, value(sample));
      }
    },
  }));
}

/** A running relay registers itself; the returned function unregisters it. */
export function watchRelayHealth(source: () => RelayHealthSample): () => void {
  relayHealthGauge('crm_relay_stalled',
    '1 when this replica\'s relay has not published nor found the log caught up for longer than RELAY_STALL_SECONDS', (s) => (s.stalled ? 1 : 0));
  relayHealthGauge('crm_relay_without_progress_seconds',
    'Seconds since this replica\'s relay last published a batch or found nothing to publish (0 on a standby)', (s) => s.secondsWithoutProgress);
  relayHealthSources.add(source);
  return () => relayHealthSources.delete(source);
}

export const oldestOpenTransactionSeconds = () =>
  once('crm_oldest_open_transaction_seconds', () => new Gauge({
    name: 'crm_oldest_open_transaction_seconds',
    help: 'Age of the oldest open write transaction; it holds the relay and log readers back',
  }));

export const consumerLagMessages = () =>
  once('crm_consumer_lag_messages', () => new Gauge({
    name: 'crm_consumer_lag_messages', help: 'Messages behind the partition end, per consumer',
    labelNames: ['consumer', 'topic', 'partition'],
  }));

export const logOrderViolationsTotal = () =>
  once('crm_log_order_violations_total', () => new Counter({
    name: 'crm_log_order_violations_total',
    help: 'Events a live consumer got first behind a higher log position on their partition: a rebuild from the topic would drop them as repeats (ADR 31)',
    labelNames: ['consumer', 'topic'],
  }));

export const consumerHandledTotal = () =>
  once('crm_consumer_handled_total', () => new Counter({
    name: 'crm_consumer_handled_total', help: 'Events applied by a consumer (duplicates excluded)',
    labelNames: ['consumer'],
  }));

export const consumerParkedTotal = () =>
  once('crm_consumer_parked_total', () => new Counter({
    name: 'crm_consumer_parked_total', help: 'Events parked (dead-lettered) after failed retries',
    labelNames: ['consumer'],
  }));

export const projectionLagSeconds = () =>
  once('crm_projection_lag_seconds', () => new Gauge({
    name: 'crm_projection_lag_seconds', help: 'Age of the last event a projection applied',
    labelNames: ['projection'],
  }));

export const rebuildProgressRatio = () =>
  once('crm_projection_rebuild_progress_ratio', () => new Gauge({
    name: 'crm_projection_rebuild_progress_ratio', help: 'Share of the log a rebuild has replayed (0..1)',
    labelNames: ['projection'],
  }));

export const rebuildEventsPerSecond = () =>
  once('crm_projection_rebuild_events_per_second', () => new Gauge({
    name: 'crm_projection_rebuild_events_per_second', help: 'Rebuild replay rate', labelNames: ['projection'],
  }));

export const httpRequestSeconds = () =>
  once('crm_http_request_duration_seconds', () => new Histogram({
    name: 'crm_http_request_duration_seconds', help: 'HTTP latency by route',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  }));
