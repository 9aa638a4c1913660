import type { Transaction } from '#chain';
import type { MempoolRejectionCode } from './codes.js';

/** Where a transaction entered this node. */
export type TxSource = 'rest' | 'kafka' | 'peer';

/** Whether an admitted transaction can go into the next block or waits for a nonce gap to fill. */
export type PooledStatus = 'ready' | 'queued';

/** An admitted transaction. */
export interface AdmissionAccepted {
  accepted: true;
  hashHex: string;
  /** `queued` = waiting for a lower nonce of the same sender. */
  status: PooledStatus;
  /**
   * Gapped transactions evicted to make room for this one (see the eviction policy on
   * `Mempool`); callers report them as rejected with `MEMPOOL_EVICTED`. Absent when none.
   */
  evicted?: readonly Transaction[];
}

/** A refused transaction. */
export interface AdmissionRejected {
  accepted: false;
  hashHex: string;
  code: MempoolRejectionCode;
  message: string;
  /** Back-pressure hint, set with `MEMPOOL_FULL` and `SENDER_QUEUE_FULL`. */
  retryAfterMs?: number;
  /** True with `TX_DUPLICATE`: the very same transaction is already pooled. */
  existing?: boolean;
}

/** The outcome of `Mempool.add`. */
export type AdmissionResult = AdmissionAccepted | AdmissionRejected;

/** A transaction that left the pool without being committed, and why. */
export interface DroppedTx {
  tx: Transaction;
  code: MempoolRejectionCode;
}

/** One pooled transaction with what the pool needs to know about it, computed once. */
export interface PoolEntry {
  readonly tx: Transaction;
  readonly hashHex: string;
  /** Lowercase hex of the sender's public key: the key of its `SenderQueue`. */
  readonly senderKeyHex: string;
  readonly nonce: bigint;
  readonly sizeBytes: number;
  /** Amount a transfer moves out of the sender's balance; 0 for every other type. */
  readonly spend: bigint;
  /** Key a record transaction writes. */
  readonly recordKey: string | undefined;
  /** Governance types need a governance key, not an active membership. */
  readonly governance: boolean;
  readonly source: TxSource;
  /** Admission time as the pool knows it (monotone, see `Mempool.add`); undefined before the pool saw any time. */
  readonly admittedAtMs: number | undefined;
}
