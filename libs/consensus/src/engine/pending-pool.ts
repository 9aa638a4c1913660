import type { Transaction } from '#chain';

/** The part of the mempool the block pipeline uses. */
export interface PendingPool {
  /** Executable transactions for the next block, in a valid order. */
  selectForBlock(maxTxs: number): Transaction[];
  /** Drops included transactions and re-validates the rest against the new state. */
  onBlockCommitted(includedHashes: readonly string[], committedTxs?: readonly Transaction[]): { dropped: Array<{ tx: Transaction; code: string }> };
  /** Drops transactions a proposer found invalid. */
  remove(hashHexes: readonly string[], code: string): void;
  /** Whether this node verified the transaction's signature at admission. */
  isVerified(tx: Transaction): boolean;
  /** Number of executable transactions waiting. */
  readyCount(): number;
}
