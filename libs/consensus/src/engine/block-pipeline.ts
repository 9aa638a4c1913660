import { performance } from 'node:perf_hooks';
import {
  buildBlock,
  ChainErrorCode,
  executeBlock,
  executeBlockChanges,
  type Block,
  type BlockHeader,
  type BuiltBlock,
  type CommittedState,
  type ExecutedBlock,
  type ExecutedChanges,
  type Receipt,
  type Transaction,
} from '#chain';
import type { BlockToCommit, CommitExtras, Ledger } from '#ledger';
import type { PendingPool } from './pending-pool.js';

/** Seals a block header with proof of work (see libs/consensus/src/pow). */
export interface HeaderSealer {
  seal(block: Block, difficultyBits: number): Promise<Block>;
}

/** Everything observers learn about a committed block. */
export interface CommittedBlockEvent {
  block: Block;
  receipts: Receipt[];
  /** How long the ledger's SQL commit took. */
  commitMs: number;
}

/** A transaction that will never commit, and why. */
export interface RejectionEvent {
  hashHex: string;
  code: string;
  message: string;
}

/** Options of the pipeline, from the genesis and node config. */
export interface BlockPipelineOptions {
  nodeId: string;
  maxTxsPerBlock: number;
  powDifficultyBits: number;
  /** Milliseconds since the epoch; injected so tests control time. */
  clockMs: () => number;
  sealer?: HeaderSealer;
}

// A proposer drops these candidates for good; others (a nonce gap) may become valid later.
const RETRYABLE_CODES: ReadonlySet<string> = new Set([ChainErrorCode.NONCE_GAP]);

/**
 * The path every block takes, whichever consensus runs: a proposer builds (and seals) a block
 * from the pool; any node validates a block it did not build; every node commits through the
 * same ledger call and then updates the pool and tells observers (REST waiters, Kafka receipts).
 */
export class BlockPipeline {
  private readonly committedListeners: Array<(event: CommittedBlockEvent) => void> = [];
  private readonly rejectionListeners: Array<(events: RejectionEvent[]) => void> = [];
  private extrasProvider?: (block: Block) => CommitExtras | undefined;

  constructor(
    readonly ledger: Ledger,
    private readonly pool: PendingPool,
    private readonly options: BlockPipelineOptions,
  ) {}

  /** Subscribes to committed blocks. */
  onCommitted(listener: (event: CommittedBlockEvent) => void): () => void {
    this.committedListeners.push(listener);
    return () => {
      const index = this.committedListeners.indexOf(listener);
      if (index >= 0) this.committedListeners.splice(index, 1);
    };
  }

  /** Subscribes to final rejections of pooled transactions. */
  onRejected(listener: (events: RejectionEvent[]) => void): void {
    this.rejectionListeners.push(listener);
  }

  /**
   * Adds node-local data to every block's SQL transaction (the Kafka offsets this node consumed
   * up to the block), so it commits atomically with the block.
   */
  setCommitExtrasProvider(provider: (block: Block) => CommitExtras | undefined): void {
    this.extrasProvider = provider;
  }

  /** Whether the pool has anything to propose. */
  hasPending(): boolean {
    return this.pool.readyCount() > 0;
  }

  /**
   * Builds the next block from the pool (undefined when nothing valid is waiting), sealing it
   * when proof of work is on. Candidates found invalid are dropped from the pool and reported.
   * `allowEmpty` builds a block without transactions rather than none (PBFT's primary must
   * keep proposing or be replaced).
   */
  async propose(consensusData?: Uint8Array, options: { allowEmpty?: boolean } = {}): Promise<BuiltBlock | undefined> {
    const candidates = this.pool.selectForBlock(this.options.maxTxsPerBlock);
    if (candidates.length === 0 && !options.allowEmpty) return undefined;
    const built = buildBlock(
      this.ledger.state,
      candidates,
      {
        parent: this.ledger.headHeader,
        timestampMs: BigInt(this.options.clockMs()),
        proposer: this.options.nodeId,
        consensusData,
        powDifficultyBits: this.options.powDifficultyBits,
        maxTxs: this.options.maxTxsPerBlock,
      },
      { rules: this.ledger.rules, isVerified: (tx) => this.pool.isVerified(tx) },
    );
    const finalRejections = built.rejected.filter((r) => !RETRYABLE_CODES.has(r.code));
    if (finalRejections.length) {
      for (const code of new Set(finalRejections.map((r) => r.code))) {
        this.pool.remove(finalRejections.filter((r) => r.code === code).map((r) => r.tx.hashHex), code);
      }
      await this.reject(finalRejections.map((r) => ({ hashHex: r.tx.hashHex, code: r.code, message: `dropped by the proposer: ${r.code}` })));
    }
    if (built.block.txs.length === 0 && !options.allowEmpty) return undefined;
    if (this.options.powDifficultyBits > 0) {
      if (!this.options.sealer) throw new Error('proof of work is on but no sealer is configured');
      built.block = await this.options.sealer.seal(built.block, this.options.powDifficultyBits);
    }
    return built;
  }

  /**
   * Validates a block this node did not build (throws ChainError with the first problem).
   * `preVerified` vouches for signatures checked elsewhere (block sync verifies them on other
   * threads ahead of execution); the pool vouches for those it admitted.
   */
  validate(block: Block, preVerified?: (tx: Transaction) => boolean, on?: { state: CommittedState; parent: BlockHeader }): ExecutedBlock {
    const isVerified = (tx: Transaction): boolean => preVerified?.(tx) === true || this.pool.isVerified(tx);
    return executeBlock(on?.state ?? this.ledger.state, block, on?.parent ?? this.ledger.headHeader, { rules: this.ledger.rules, isVerified }, this.options.powDifficultyBits);
  }

  /**
   * `validate` without the state root check: the changes and the entries whose expansions give
   * the commitment, completed with `withStateRoot` before the block counts as valid (block sync).
   */
  validateChanges(block: Block, preVerified: (tx: Transaction) => boolean, on: { state: CommittedState; parent: BlockHeader }): ExecutedChanges {
    const isVerified = (tx: Transaction): boolean => preVerified(tx) || this.pool.isVerified(tx);
    return executeBlockChanges(on.state, block, on.parent, { rules: this.ledger.rules, isVerified }, this.options.powDifficultyBits);
  }

  /** Commits a validated block, then updates the pool and notifies observers. */
  async commit(block: Block, executed: ExecutedBlock, extras: CommitExtras = {}): Promise<void> {
    await this.commitMany([{ block, executed, extras }]);
  }

  /** Commits consecutive validated blocks in one ledger transaction, then per block as `commit`. */
  async commitMany(items: readonly BlockToCommit[]): Promise<void> {
    const started = performance.now();
    await this.ledger.commitBlocks(
      items.map(({ block, executed, extras = {} }) => {
        const local = this.extrasProvider?.(block);
        return { block, executed, extras: local ? { ...local, ...extras, kafkaOffsets: local.kafkaOffsets ?? extras.kafkaOffsets } : extras };
      }),
    );
    const commitMs = (performance.now() - started) / items.length;
    // The state now reflects the whole run, so the pool learns every transaction the run
    // included before it re-checks nonces: one pooled transaction included in a later block of
    // the run would otherwise look replayed and be reported rejected although it committed.
    // Passing the transactions lets the pool re-check only the senders the run touched.
    const included = items.flatMap(({ block }) => block.txs);
    const { dropped } = this.pool.onBlockCommitted(included.map((tx) => tx.hashHex), included);
    for (const { block, executed } of items) {
      const event = { block, receipts: executed.receipts, commitMs };
      for (const listener of this.committedListeners) listener(event);
    }
    const last = items[items.length - 1]?.block.header.height;
    if (dropped.length) await this.reject(dropped.map((d) => ({ hashHex: d.tx.hashHex, code: d.code, message: `dropped after block ${last}: ${d.code}` })));
  }

  private async reject(events: RejectionEvent[]): Promise<void> {
    await this.ledger.recordRejections(events);
    for (const listener of this.rejectionListeners) listener(events);
  }
}
