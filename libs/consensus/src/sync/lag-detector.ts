/** When a node counts as fallen behind. */
export interface LagPolicy {
  /** Blocks behind the best peer head that count as lagging. */
  thresholdBlocks: number;
  /** How long the lag must last: consensus catches up short gaps by itself. */
  graceMs: number;
}

/**
 * Decides from announced heads when this node should fall back to block sync: behind the best
 * peer by at least the threshold, continuously for the grace period. Pure: time is passed in.
 */
export class LagDetector {
  private behindSinceMs: number | undefined;

  constructor(private readonly policy: LagPolicy) {}

  /** Blocks behind `bestPeerHead` (0 when ahead or unknown). */
  static lagOf(localHeight: bigint, bestPeerHead: bigint | undefined): bigint {
    return bestPeerHead !== undefined && bestPeerHead > localHeight ? bestPeerHead - localHeight : 0n;
  }

  /** Whether to sync now. */
  observe(localHeight: bigint, bestPeerHead: bigint | undefined, nowMs: number): boolean {
    if (LagDetector.lagOf(localHeight, bestPeerHead) < BigInt(this.policy.thresholdBlocks)) {
      this.behindSinceMs = undefined;
      return false;
    }
    this.behindSinceMs ??= nowMs;
    return nowMs - this.behindSinceMs >= this.policy.graceMs;
  }

  /** Starts the grace period again (after a sync ran). */
  reset(): void {
    this.behindSinceMs = undefined;
  }
}
