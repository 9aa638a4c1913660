/** Tunables of block sync; the defaults suit a LAN of validators. */
export interface SyncTuning {
  /** Blocks asked for in one request. */
  blocksPerRequest: number;
  /** Requests in flight over all peers. */
  maxOutstanding: number;
  /** Requests in flight to one peer. */
  maxPerPeer: number;
  /** How far past the next height to apply blocks may be fetched. */
  maxAheadBlocks: number;
  requestTimeoutMs: number;
  /** How long a peer that served a bad block is left out. */
  banMs: number;
  /** How long a peer that did not answer in time is left out. */
  timeoutSuspendMs: number;
  /** Head announcements: periodically, and this long after a commit (coalescing bursts). */
  announceIntervalMs: number;
  announceAfterCommitMs: number;
  /** Fall back to sync when this many blocks behind the best peer head... */
  lagThresholdBlocks: number;
  /** ...for this long (consensus closes short gaps by itself). */
  lagGraceMs: number;
  lagCheckIntervalMs: number;
  /**
   * How long a sync waits to hear of a peer head above its own before it starts. Short: engines
   * wait on catch-ups (PBFT holds its Ready queue), and peers announce within ~100 ms of a commit.
   */
  headWaitMs: number;
  /** How long a run waits with nothing in flight and nothing any peer can serve before it gives up. */
  stallMs: number;
  /** Progress log lines while syncing. */
  progressLogIntervalMs: number;
}

export const DEFAULT_SYNC_TUNING: SyncTuning = {
  blocksPerRequest: 16,
  maxOutstanding: 8,
  maxPerPeer: 3,
  // Decoded blocks held ahead of the head: with full blocks (thousands of transactions) a larger
  // window costs hundreds of megabytes and buys nothing once the local commit is the bottleneck.
  maxAheadBlocks: 128,
  requestTimeoutMs: 5000,
  banMs: 60_000,
  timeoutSuspendMs: 2000,
  announceIntervalMs: 1000,
  announceAfterCommitMs: 100,
  lagThresholdBlocks: 4,
  lagGraceMs: 1500,
  lagCheckIntervalMs: 500,
  headWaitMs: 500,
  stallMs: 1500,
  progressLogIntervalMs: 5000,
};
