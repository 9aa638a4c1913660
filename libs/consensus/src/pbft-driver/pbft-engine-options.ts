import type { PbftAuthenticator, ValidatorId } from '../pbft/types.js';
import type { SyncManager } from '../sync/sync-manager.js';
import type { EngineLogger } from '../raft-driver/raft-engine.js';
import type { PbftEpoch } from './epoch.js';

/** Configuration of the PBFT driver. */
export interface PbftEngineOptions {
  nodeId: string;
  chainId: string;
  /** Voters at the ledger head, in node-id order (the order defines each view's primary). */
  validators: readonly ValidatorId[];
  /** The epoch of the ledger head (see `epochOf`); default: genesis, with `validators`. */
  epoch?: PbftEpoch;
  /** Signs with this node's consensus key, verifies with the keys the chain records. */
  authenticator: PbftAuthenticator;
  /** Length of one PBFT tick. */
  tickMs: number;
  /** Ticks without a commit before a replica asks for a view change. */
  viewChangeTimeoutTicks: number;
  /** Cap on timeout doublings after failed views. */
  maxTimeoutDoublings: number;
  /** A checkpoint every this many heights. */
  checkpointIntervalHeights: number;
  blockIntervalMs: number;
  maxTxsPerBlock: number;
  /**
   * With nothing to propose, the primary still proposes an empty block once this long has
   * passed since the last commit: replicas change views when nothing commits for a timeout.
   */
  emptyBlockIntervalMs: number;
  logger: EngineLogger;
  /** Admits transactions forwarded by replicas (verifies and pools them). */
  admitForwarded: (txs: Uint8Array[]) => Promise<void>;
  /** The node's block sync: catch-ups go through it; applies share its commit lock. */
  sync: SyncManager;
  /** Test-only Byzantine behaviour; never set outside tests. */
  testByzantine?: 'equivocate';
}

/** Observations for metrics. */
export interface PbftEngineHooks {
  /** This node became the primary of `view` through a view change. */
  onViewChangeLed?: (view: number) => void;
  onProposalCommitted?: (latencyMs: number) => void;
}
