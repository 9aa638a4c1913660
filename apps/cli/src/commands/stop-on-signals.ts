// How long a graceful stop may take. Closing waits for in-flight requests and commits; one that
// never ends (a client that keeps its request open, a stuck peer) must not keep the process up.
const SHUTDOWN_GRACE_MS = 20_000;
const REPEAT_WINDOW_MS = 1000;

/**
 * Stops `running` on SIGINT/SIGTERM, then exits. A stop that takes longer than the grace period,
 * or a second signal a second or more after the first, exits at once (the ledger commits
 * atomically, so nothing is half-written).
 */
export function stopOnSignals(close: () => Promise<void>, graceMs = SHUTDOWN_GRACE_MS): void {
  let stoppingSince: number | undefined;
  const stop = (signal: string): void => {
    if (stoppingSince !== undefined) {
      // Ctrl-C reaches the whole process group, and a supervisor (devnet, npm) passes it on as
      // well: a signal right after the first is the same request, not an impatient second one.
      if (Date.now() - stoppingSince < REPEAT_WINDOW_MS) return;
      console.error(`${signal} again: exiting without waiting for the stop to finish`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    console.log(`${signal}: stopping`);
    setTimeout(() => {
      console.error(`stopping took longer than ${graceMs / 1000} s: exiting anyway`);
      process.exit(1);
    }, graceMs);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
