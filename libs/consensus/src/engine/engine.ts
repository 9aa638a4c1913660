import type { ConsensusType, Transaction } from '#chain';

/** Transactions just admitted to this node's pool. */
export interface AdmittedEvent {
  readyCount: number;
  txs: readonly Transaction[];
  source: 'rest' | 'kafka' | 'peer';
}

/** The role this node currently plays in consensus. */
export type ConsensusRole = 'solo' | 'leader' | 'follower' | 'candidate' | 'primary' | 'replica' | 'learner' | 'observer';

/** What `/v1/status` reports about consensus. */
export interface ConsensusStatus {
  type: ConsensusType;
  role: ConsensusRole;
  /** Node id of the current leader / primary, when known. */
  leaderId?: string;
  /** Raft term or PBFT view. */
  epoch?: string;
  /** Height of the last committed block. */
  commitHeight: string;
}

/**
 * A consensus algorithm driving one validator: solo, Raft or PBFT. Engines take transactions
 * from the pool when they propose and commit blocks through the BlockPipeline; everything else
 * (REST, Kafka) talks to the pool and the ledger, never to the engine's internals.
 */
export interface ConsensusEngine {
  readonly type: ConsensusType;
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): ConsensusStatus;
  /**
   * Transactions were admitted to the pool: an engine may cut a block before its interval, and
   * forwards transactions it did not receive from a peer to the leader / primary.
   */
  notifyTransactionsAdmitted(event: AdmittedEvent): void;
}
