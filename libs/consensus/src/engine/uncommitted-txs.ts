import type { Transaction } from '#chain';
import type { BlockPipeline } from './block-pipeline.js';

/**
 * The transactions this node admitted that are not yet committed or rejected, ready or stuck
 * behind a nonce gap alike: what a node hands to a new leader / primary, so that nothing it
 * accepted strands in its own pool. Bounded; the oldest are forgotten first.
 */
export class UncommittedTxs {
  private readonly txs = new Map<string, Transaction>();

  constructor(
    pipeline: BlockPipeline,
    private readonly maxTxs = 200_000,
  ) {
    pipeline.onCommitted(({ block }) => {
      for (const tx of block.txs) this.txs.delete(tx.hashHex);
    });
    pipeline.onRejected((events) => {
      for (const event of events) this.txs.delete(event.hashHex);
    });
  }

  /** Remembers newly admitted transactions. */
  track(txs: readonly Transaction[]): void {
    for (const tx of txs) this.txs.set(tx.hashHex, tx);
    while (this.txs.size > this.maxTxs) this.txs.delete(this.txs.keys().next().value as string);
  }

  /** Everything still uncommitted, oldest first. */
  all(): Transaction[] {
    return [...this.txs.values()];
  }
}
