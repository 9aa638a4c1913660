import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { SyncReporter, SyncStatus } from '#consensus';
import { formatSyncProgress, showSyncProgress } from './sync-progress.js';

const status = (height: number, state: SyncStatus['state'] = 'syncing'): SyncStatus => ({
  state,
  height: String(height),
  targetHeight: '2000',
  lagBlocks: String(2000 - height),
  peers: ['validator-1', 'validator-2'],
  blocksPerSecond: 150,
  txsPerSecond: 7500,
  blocksSynced: height,
  txsSynced: height * 50,
  badPeers: 0,
});

describe('sync progress', () => {
  it('draws a bar for terminals and a plain line otherwise, relative to where the sync started', () => {
    expect(formatSyncProgress(status(1000), 0n, 10)).toBe('syncing [#####.....] 50% 1000/2000 150 blocks/s, 7500 tx/s from validator-1, validator-2');
    expect(formatSyncProgress(status(1500), 1000n)).toBe('sync: height 1500/2000 (50%), 150 blocks/s, 7500 tx/s from validator-1, validator-2');
  });

  it('prints plain lines while syncing and one line when caught up, nothing while synced', () => {
    vi.useFakeTimers();
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let output = '';
    (stream as unknown as PassThrough).on('data', (chunk: Buffer) => (output += chunk.toString()));
    let current = status(0, 'synced');
    const reporter: SyncReporter = { status: () => current, onEvent: () => undefined };
    const stop = showSyncProgress(reporter, stream, { plainIntervalMs: 100 });
    vi.advanceTimersByTime(300);
    current = status(400);
    vi.advanceTimersByTime(100);
    current = status(2000, 'synced');
    vi.advanceTimersByTime(200);
    stop();
    vi.useRealTimers();
    return new Promise<void>((resolve) => {
      setImmediate(() => {
        expect(output).toBe('sync: height 400/2000 (0%), 150 blocks/s, 7500 tx/s from validator-1, validator-2\nsync: caught up at height 2000\n');
        resolve();
      });
    });
  });
});
