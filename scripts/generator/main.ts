// `npm run load -- --preset demo` (or --customers N --years Y): the data generator. It sends
// the commands users would send, through each service's own command handling, into each
// service's own database; the running services' relays publish the events and their read
// models and policies consume them (see ADR 32).
import { parseOptions, UsageError } from './options';
import { ProgressBar } from './progress';
import { assertServicesInstalled, unpublished, waitForRelays } from './service-readiness';
import { SERVICES, ServiceWriters, Tally } from './service-writers';
import { Simulation } from './simulation';

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const tally = new Tally();
  const writers = new ServiceWriters(options.databases, options.concurrency + 2, tally);
  const bar = new ProgressBar(process.stderr, options.progressBar);
  let state = { fraction: 0, label: options.start };
  const draw = (force = false) => bar.update({ ...state, commands: tally.commands, events: tally.events }, force);
  const timer = setInterval(() => void tally.refresh().then(() => draw()), 200);
  timer.unref();
  try {
    await assertServicesInstalled(writers.pools);
    process.stderr.write(`load: ${options.customers.toLocaleString('en-US')} customers, ${options.days} days from ${options.start}, seed ${options.seed}\n`);
    await new Simulation(options, writers, { onDay: (date, fraction) => { state = { fraction, label: date }; } }).run();
    state = { fraction: 1, label: 'done' };
    await tally.refresh();
    draw(true);
    bar.done();
    if (options.waitForRelays) {
      const left = (await Promise.all(SERVICES.map((s) => unpublished(writers.pools[s])))).reduce((a, b) => a + b, 0);
      process.stderr.write(`load: waiting for the relays to publish ${left.toLocaleString('en-US')} events …\n`);
      await waitForRelays(writers.pools);
    }
    const seconds = bar.elapsedMs / 1000;
    const summary = {
      customers: options.customers, days: options.days, start: options.start, seed: options.seed,
      commands: tally.commands, events: tally.events, refused: Object.fromEntries(tally.refused), seconds: Math.round(seconds * 10) / 10,
      eventsPerSecond: Math.round(tally.events / seconds),
    };
    process.stderr.write(`load: ${summary.events.toLocaleString('en-US')} events from ${summary.commands.toLocaleString('en-US')} commands in ${summary.seconds} s `
      + `(${summary.eventsPerSecond.toLocaleString('en-US')} events/s); refused: ${JSON.stringify(summary.refused)}\n`);
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    clearInterval(timer);
    await writers.close();
  }
}

main().catch((error) => {
  process.stderr.write(`\nload: ${error instanceof UsageError ? error.message : error?.stack ?? error}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
