// The process supervision of `npm run stack` (scripts/stack.mjs), apart so it can be tested
// without starting anything: a service that exits on its own (crash, OOM, SIGKILL) is started
// again after a back-off that doubles up to a ceiling and starts over once a run has lasted;
// stop() ends every child it started and resolves only when all of them have exited.
//
// A child's exit is taken from its 'exit' event, never from `exitCode`: a child killed by a
// signal keeps `exitCode === null` for good, so "exitCode === null means running" waits for an
// exit that has already happened (what left the old stack hanging with Kafka still up).

const DEFAULTS = {
  initialBackoffMs: 1000,
  maxBackoffMs: 30_000,
  /** A run at least this long counts as healthy: the next crash restarts after initialBackoffMs again. */
  resetBackoffAfterMs: 60_000,
  /** stop() sends SIGTERM, then SIGKILL to a child still running after this long. */
  stopTimeoutMs: 15_000,
};

/**
 * @param {object} options
 * @param {string[]} options.names the services, started in this order
 * @param {(name: string) => import('node:child_process').ChildProcess} options.spawn starts one
 * @param {(line: string) => void} [options.log]
 * @param {{ setTimeout: typeof setTimeout, clearTimeout: typeof clearTimeout, now: () => number }} [options.clock]
 */
function createSupervisor({ names, spawn, log = console.log, clock = { setTimeout, clearTimeout, now: Date.now }, ...tuning }) {
  const settings = { ...DEFAULTS, ...tuning };
  const services = new Map(names.map((name) => [name, { name, child: undefined, startedAt: 0, crashes: 0, restartTimer: undefined, exited: undefined }]));
  let stopping = false;

  function launch(service) {
    let done;
    service.exited = new Promise((resolve) => (done = resolve));
    service.startedAt = clock.now();
    let child;
    try {
      child = spawn(service.name);
    } catch (error) {
      service.child = undefined;
      done();
      if (!stopping) exitedOnItsOwn(service, `could not start: ${error.message}`);
      return;
    }
    service.child = child;
    let ended = false;
    const end = (how) => {
      if (ended) return;
      ended = true;
      service.child = undefined;
      done();
      if (!stopping) exitedOnItsOwn(service, how);
    };
    child.once('exit', (code, signal) => end(signal ? `killed by ${signal}` : `exited with code ${code}`));
    // A process that never started (e.g. ENOENT) may emit 'error' without 'exit'.
    child.once('error', (error) => { if (child.pid === undefined) end(`could not start: ${error.message}`); });
  }

  function exitedOnItsOwn(service, how) {
    if (clock.now() - service.startedAt >= settings.resetBackoffAfterMs) service.crashes = 0;
    const delay = Math.min(settings.maxBackoffMs, settings.initialBackoffMs * 2 ** service.crashes);
    service.crashes += 1;
    log(`${service.name} ${how}; restarting in ${delay / 1000} s (restart ${service.crashes})`);
    service.restartTimer = clock.setTimeout(() => {
      service.restartTimer = undefined;
      if (!stopping) launch(service);
    }, delay);
  }

  async function stopOne(service, signal) {
    if (service.restartTimer !== undefined) {
      clock.clearTimeout(service.restartTimer);
      service.restartTimer = undefined;
    }
    const child = service.child;
    if (!child) return;
    child.kill(signal);
    let timer;
    const gaveUp = new Promise((resolve) => (timer = clock.setTimeout(() => resolve(true), settings.stopTimeoutMs)));
    if (await Promise.race([service.exited.then(() => false), gaveUp])) {
      log(`${service.name} still running ${settings.stopTimeoutMs / 1000} s after ${signal}; SIGKILL`);
      child.kill('SIGKILL');
      await service.exited;
    }
    clock.clearTimeout(timer);
  }

  return {
    start() {
      for (const service of services.values()) launch(service);
    },
    /** Ends everything it started (pending restarts included); resolves once all have exited. */
    async stop(signal = 'SIGTERM') {
      stopping = true;
      await Promise.all([...services.values()].map((service) => stopOne(service, signal)));
    },
    /** Last resort from a synchronous 'exit' handler: signal whatever still runs. */
    killAll(signal = 'SIGKILL') {
      stopping = true;
      for (const service of services.values()) {
        if (service.restartTimer !== undefined) clock.clearTimeout(service.restartTimer);
        service.child?.kill(signal);
      }
    },
    /** For tests and status lines: which services have a live child, and their restart counts. */
    status() {
      return [...services.values()].map(({ name, child, crashes, restartTimer }) => ({
        name, running: child !== undefined, restarts: crashes, restartPending: restartTimer !== undefined,
      }));
    },
  };
}

module.exports = { createSupervisor, SUPERVISOR_DEFAULTS: DEFAULTS };
