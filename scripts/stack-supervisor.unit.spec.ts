import { EventEmitter } from 'node:events';

// A plain CommonJS module (stack.mjs runs it with no build step), hence require.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createSupervisor } = require('./stack-supervisor.cjs');

/** A child process as far as the supervisor can tell: it exits when told, or on its own. */
class FakeChild extends EventEmitter {
  static nextPid = 1000;
  readonly pid = FakeChild.nextPid++;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  readonly signals: string[] = [];

  constructor(private readonly obeys: ReadonlyArray<string> = ['SIGTERM', 'SIGKILL']) {
    super();
  }

  kill(signal: NodeJS.Signals): boolean {
    this.signals.push(signal);
    if (this.obeys.includes(signal)) setTimeout(() => this.die(signal), 10);
    return true;
  }

  /** Killed by a signal: exactly like Node's ChildProcess, exitCode stays null for good. */
  die(signal: NodeJS.Signals | null = 'SIGKILL', code: number | null = null): void {
    this.signalCode = signal;
    this.exitCode = signal ? null : code;
    this.emit('exit', this.exitCode, signal);
  }
}

function stackOf(names: string[], childFor: (name: string) => FakeChild = () => new FakeChild()) {
  const spawned: Record<string, FakeChild[]> = Object.fromEntries(names.map((n) => [n, []]));
  const lines: string[] = [];
  const supervisor = createSupervisor({
    names,
    spawn: (name: string) => {
      const child = childFor(name);
      spawned[name].push(child);
      return child;
    },
    log: (line: string) => lines.push(line),
    clock: { setTimeout: (f: () => void, ms: number) => setTimeout(f, ms), clearTimeout: (t: NodeJS.Timeout) => clearTimeout(t), now: () => Date.now() },
  });
  return { supervisor, spawned, lines, latest: (name: string) => spawned[name][spawned[name].length - 1] };
}

describe('dev stack supervisor (scripts/stack-supervisor.cjs)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('restarts a service killed with SIGKILL, after a back-off that doubles to a ceiling and starts over after a healthy run', async () => {
    const { supervisor, spawned, latest, lines } = stackOf(['customers', 'credit']);
    supervisor.start();
    expect(spawned.customers).toHaveLength(1);

    const delays: number[] = [];
    for (let crash = 0; crash < 7; crash++) {
      latest('customers').die('SIGKILL');
      const before = spawned.customers.length;
      let waited = 0;
      while (spawned.customers.length === before) {
        await jest.advanceTimersByTimeAsync(250);
        waited += 250;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(lines[0]).toBe('customers killed by SIGKILL; restarting in 1 s (restart 1)');
    expect(spawned.credit).toHaveLength(1); // the others are left alone

    // A run that lasted a minute was healthy: the next crash restarts after a second again.
    await jest.advanceTimersByTimeAsync(60_000);
    latest('customers').die(null, 1);
    await jest.advanceTimersByTimeAsync(1000);
    expect(lines.at(-1)).toBe('customers exited with code 1; restarting in 1 s (restart 1)');
    expect(spawned.customers).toHaveLength(9);
    expect(supervisor.status()).toEqual([
      { name: 'customers', running: true, restarts: 1, restartPending: false },
      { name: 'credit', running: true, restarts: 0, restartPending: false },
    ]);
  });

  it('stops everything, also when one service has already died by a signal (exitCode null) and waits for its restart', async () => {
    const { supervisor, spawned, latest } = stackOf(['customers', 'credit', 'receivables', 'engagement']);
    supervisor.start();
    latest('customers').die('SIGKILL');
    expect(latest('customers').exitCode).toBeNull(); // what the old stop() took for "still running"

    let stopped = false;
    const stopping = supervisor.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(50);
    expect(stopped).toBe(true);
    await stopping;
    for (const name of ['credit', 'receivables', 'engagement']) expect(latest(name).signals).toEqual(['SIGTERM']);
    expect(latest('customers').signals).toEqual([]); // already gone: nothing to signal

    // The pending restart was cancelled: nothing starts after stop().
    await jest.advanceTimersByTimeAsync(120_000);
    expect(spawned.customers).toHaveLength(1);
    expect(supervisor.status().every((s: { running: boolean; restartPending: boolean }) => !s.running && !s.restartPending)).toBe(true);
  });

  it('does not restart services that exit because stop() asked them to', async () => {
    const { supervisor, spawned } = stackOf(['customers']);
    supervisor.start();
    const stop = supervisor.stop();
    await jest.advanceTimersByTimeAsync(50);
    await stop;
    expect(spawned.customers[0].signalCode).toBe('SIGTERM');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(spawned.customers).toHaveLength(1);
  });

  it('SIGKILLs a service still running when the stop timeout passes', async () => {
    const stubborn = new FakeChild(['SIGKILL']); // ignores SIGTERM
    const { supervisor, lines } = stackOf(['customers'], () => stubborn);
    supervisor.start();
    let stopped = false;
    const stopping = supervisor.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(14_000);
    expect(stopped).toBe(false);
    await jest.advanceTimersByTimeAsync(1_100);
    await stopping;
    expect(stubborn.signals).toEqual(['SIGTERM', 'SIGKILL']);
    expect(lines).toContain('customers still running 15 s after SIGTERM; SIGKILL');
  });

  it('retries a service that cannot even be spawned', async () => {
    let attempts = 0;
    const { supervisor, lines } = stackOf(['customers'], () => {
      attempts += 1;
      if (attempts === 1) throw new Error('spawn node ENOENT');
      return new FakeChild();
    });
    supervisor.start();
    expect(lines).toEqual(['customers could not start: spawn node ENOENT; restarting in 1 s (restart 1)']);
    await jest.advanceTimersByTimeAsync(1000);
    expect(attempts).toBe(2);
    expect(supervisor.status()[0].running).toBe(true);
    const stop = supervisor.stop();
    await jest.advanceTimersByTimeAsync(50);
    await stop;
  });
});
