import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds used so far by this machine's processes, grouped: postgres, the Kafka JVM, node. */
export type CpuByProcess = Record<'postgres' | 'kafka' | 'node', number>;

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * Linux only (reads /proc); elsewhere every group reads zero. With `databases`, postgres counts
 * only the backends connected to those databases (their title names the database): on a
 * server shared with other work, that is this benchmark's share, not the server's.
 */
export function cpuByProcess(databases?: string[]): CpuByProcess {
  const totals: CpuByProcess = { postgres: 0, kafka: 0, node: 0 };
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return totals;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      // Fields after the parenthesised command name: utime is the 12th, stime the 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
      const ours = (line: string) => !databases || databases.some((d) => line.includes(` ${d} `));
      const group = cmdline.includes('postgres') ? (ours(cmdline) ? 'postgres' : undefined) : cmdline.includes('kafka') ? 'kafka'
        : Number(pid) === process.pid ? 'node' : undefined;
      if (group) totals[group] += seconds;
    } catch {
      // The process ended between listing and reading.
    }
  }
  return totals;
}

export function cpuSince(before: CpuByProcess, databases?: string[]): CpuByProcess {
  const now = cpuByProcess(databases);
  return { postgres: round(now.postgres - before.postgres), kafka: round(now.kafka - before.kafka), node: round(now.node - before.node) };
}

function round(x: number) {
  return Math.round(x * 100) / 100;
}
