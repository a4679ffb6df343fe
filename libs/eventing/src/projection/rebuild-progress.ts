export interface RebuildProgress {
  projection: string;
  status: 'idle' | 'running' | 'completed';
  processed: number;
  total: number;
  percent: number;
  eventsPerSecond: number;
  etaSeconds: number | null;
}

/** Pure: progress figures from two samples of the processed count. */
export function computeProgress(input: {
  projection: string; status: RebuildProgress['status']; processed: number; total: number;
  previous?: { processed: number; atMs: number }; nowMs: number;
}): RebuildProgress {
  const { processed, total, previous, nowMs } = input;
  const elapsed = previous ? (nowMs - previous.atMs) / 1000 : 0;
  const rate = previous && elapsed > 0 ? Math.max(0, (processed - previous.processed) / elapsed) : 0;
  const remaining = Math.max(0, total - processed);
  return {
    projection: input.projection,
    status: input.status,
    processed,
    total,
    percent: total === 0 ? 100 : Math.min(100, Math.round((processed / total) * 1000) / 10),
    eventsPerSecond: Math.round(rate),
    etaSeconds: remaining === 0 ? 0 : rate > 0 ? Math.round(remaining / rate) : null,
  };
}
