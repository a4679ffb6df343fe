import { readFileSync } from 'node:fs';
import path from 'node:path';
import { register } from 'prom-client';
import { parse } from 'yaml';
import * as metrics from '../../libs/eventing/src/metrics/eventing-metrics';

const read = (file: string) => readFileSync(path.join(__dirname, file), 'utf8');
/** Metric names in PromQL: identifiers followed by `{`, `[` or `)` after a selector position. */
const metricsIn = (expr: string) => [...expr.matchAll(/\b((?:crm|process|nodejs)_[a-z0-9_]+)/g)].map((m) => m[1].replace(/_(bucket|sum|count)$/, ''));

// The services create their metrics on first use: create every one, as a running service would.
for (const create of Object.values(metrics)) if (typeof create === 'function' && create.length === 0) (create as () => unknown)();
const stopWatching = metrics.watchRelayHealth(() => ({ topic: 't', stalled: false, secondsWithoutProgress: 0 }));
afterAll(() => stopWatching());

describe('alert rules and dashboard (infra/observability)', () => {
  const rules = parse(read('alerts.rules.yaml')).groups.flatMap((g: { rules: Array<{ alert: string; expr: string }> }) => g.rules);
  const dashboard = JSON.parse(read('grafana-dashboard.json'));
  const exprs = [...rules.map((r: { expr: string }) => r.expr), ...dashboard.panels.flatMap((p: { targets: Array<{ expr: string }> }) => p.targets.map((t) => t.expr))];

  it('alert on relay lag and stalls, consumer lag, parked events, events out of log order, old open transactions and stalled rebuilds', () => {
    expect(rules.map((r: { alert: string }) => r.alert)).toEqual(expect.arrayContaining([
      'CrmRelayStalled', 'CrmRelayLagHigh', 'CrmConsumerLagHigh', 'CrmEventsParked', 'CrmLogOrderViolated', 'CrmOldOpenTransaction', 'CrmRebuildStalled']));
    for (const rule of rules) expect(rule).toMatchObject({ labels: { severity: expect.stringMatching(/^(warning|critical)$/) }, annotations: { summary: expect.any(String) } });
  });

  it('use only metrics the services export (a renamed metric fails here, not silently in production)', () => {
    const exported = new Set(register.getMetricsAsArray().map((m) => m.name));
    // prom-client's default process metrics, collected by the /metrics controller.
    for (const name of ['process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds']) exported.add(name);
    const used = [...new Set(exprs.flatMap(metricsIn))];
    expect(used.length).toBeGreaterThan(8);
    expect(used.filter((name) => !exported.has(name))).toEqual([]);
  });

  it('name units in metric names', () => {
    const crm = register.getMetricsAsArray().map((m) => m.name).filter((n) => n.startsWith('crm_'));
    expect(crm.length).toBeGreaterThan(10);
    expect(crm.filter((n) => !/_(total|seconds|bytes|ratio|events|messages|per_second|stalled)$/.test(n))).toEqual([]);
  });
});
