/** How long, written for people: 45s, 3m05s, 1h12m. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export interface ProgressFigures {
  /** Share of the simulated days done, 0–1. */
  fraction: number;
  label: string;
  commands: number;
  events: number;
  elapsedMs: number;
}

const WIDTH = 24;

/** `[#########---------------]  38% 2026-05-14  12,345 commands 13,002 events  412/s  ETA 1m20s` */
export function progressLine({ fraction, label, commands, events, elapsedMs }: ProgressFigures): string {
  const done = Math.max(0, Math.min(1, fraction));
  const filled = Math.round(done * WIDTH);
  const rate = elapsedMs > 0 ? events / (elapsedMs / 1000) : 0;
  const eta = done > 0 ? (elapsedMs / done) * (1 - done) : Number.NaN;
  return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.floor(done * 100)).padStart(3)}% ${label}  `
    + `${commands.toLocaleString('en-US')} commands ${events.toLocaleString('en-US')} events  ${Math.round(rate).toLocaleString('en-US')} events/s  `
    + `ETA ${done >= 1 ? '0s' : duration(eta)}`;
}

/**
 * The bar on stderr: redrawn in place on a terminal (at most 5 times a second), else one line
 * every 5 seconds, so logs and CI output stay readable.
 */
export class ProgressBar {
  private readonly started = Date.now();
  private lastDraw = 0;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, private readonly enabled = true) {}

  update(figures: Omit<ProgressFigures, 'elapsedMs'>, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    const interval = this.stream.isTTY ? 200 : 5000;
    if (!force && now - this.lastDraw < interval) return;
    this.lastDraw = now;
    const line = progressLine({ ...figures, elapsedMs: now - this.started });
    this.stream.write(this.stream.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
  }

  done(): void {
    if (this.enabled && this.stream.isTTY) this.stream.write('\n');
  }

  get elapsedMs(): number {
    return Date.now() - this.started;
  }
}
