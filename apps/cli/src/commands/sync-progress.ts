import type { SyncReporter, SyncStatus } from '#consensus';

/** One progress line: a bar when `barWidth` is given (a terminal), plain text otherwise. */
export function formatSyncProgress(status: SyncStatus, startHeight: bigint, barWidth?: number): string {
  const height = BigInt(status.height);
  const target = BigInt(status.targetHeight);
  const span = target - startHeight;
  const fraction = span > 0n ? Number(height - startHeight) / Number(span) : 1;
  const percent = Math.max(0, Math.min(100, Math.floor(fraction * 100)));
  const rates = `${status.blocksPerSecond} blocks/s, ${status.txsPerSecond} tx/s`;
  const peers = status.peers.length ? ` from ${status.peers.join(', ')}` : '';
  if (barWidth === undefined) return `sync: height ${height}/${target} (${percent}%), ${rates}${peers}`;
  const filled = Math.round((percent / 100) * barWidth);
  return `syncing [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${percent}% ${height}/${target} ${rates}${peers}`;
}

/**
 * Shows block sync progress on stderr while the node catches up: a redrawn bar on a terminal,
 * a plain line every `plainIntervalMs` otherwise (logs, CI). Returns a stop function.
 */
export function showSyncProgress(sync: SyncReporter, stream: NodeJS.WriteStream = process.stderr, options: { plainIntervalMs?: number } = {}): () => void {
  const tty = stream.isTTY === true;
  const intervalMs = tty ? 250 : (options.plainIntervalMs ?? Number(process.env.ACCORD_SYNC_PROGRESS_MS ?? 5000));
  let startHeight: bigint | undefined;
  let lastLength = 0;
  const timer = setInterval(() => {
    const status = sync.status();
    if (status.state !== 'syncing') {
      if (startHeight === undefined) return;
      startHeight = undefined;
      const done = `sync: caught up at height ${status.height}`;
      stream.write(tty ? `\r${done.padEnd(lastLength)}\n` : `${done}\n`);
      return;
    }
    startHeight ??= BigInt(status.height);
    if (!tty) {
      stream.write(`${formatSyncProgress(status, startHeight)}\n`);
      return;
    }
    const line = formatSyncProgress(status, startHeight, Math.max(10, Math.min(40, (stream.columns ?? 80) - 70)));
    stream.write(`\r${line.padEnd(lastLength)}`);
    lastLength = line.length;
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
