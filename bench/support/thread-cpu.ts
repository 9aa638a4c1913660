import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU seconds per thread of a process, from /proc (Linux; empty elsewhere). Node names every
 * thread "node", so threads are told apart by id: the main thread is "main", the others
 * "thread <tid>" (worker threads, libuv's pool, V8's garbage collector helpers).
 */
export function cpuByThread(pid: number | 'self' = 'self'): Map<string, number> {
  const totals = new Map<string, number>();
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return totals;
  }
  // Clock ticks per second: 100 on every Linux build Node supports.
  const ticksPerSecond = 100;
  for (const task of tasks) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    // "pid (comm) state ..." — comm may hold spaces, so split after the closing parenthesis.
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const name = String(pid === 'self' ? process.pid : pid) === task ? 'main' : `${comm} ${task}`;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
    totals.set(name, (totals.get(name) ?? 0) + seconds);
  }
  return totals;
}

/** The CPU each thread name used between two `cpuByThread` readings, largest first. */
export function cpuSpent(before: Map<string, number>, after: Map<string, number>): string {
  return [...after]
    .map(([name, seconds]) => [name, seconds - (before.get(name) ?? 0)] as const)
    .filter(([, seconds]) => seconds >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([name, seconds]) => `${name} ${seconds.toFixed(2)} s`)
    .join(', ');
}
