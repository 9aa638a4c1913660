import type { ChainErrorCode } from '#chain';

/**
 * Rejection and drop codes the mempool adds to the chain's codes. Stable strings: REST returns
 * them as `code`, the Kafka consumer as the DLQ reason, metrics as a label.
 */
export const MempoolErrorCode = {
  /** The same transaction (same hash) is already pooled; the result carries `existing: true`. */
  TX_DUPLICATE: 'TX_DUPLICATE',
  /** Another transaction of the same sender with the same nonce is pooled: first come wins. */
  NONCE_IN_USE: 'NONCE_IN_USE',
  /** The nonce is further ahead of the account's next nonce than the pool's window allows. */
  NONCE_TOO_FAR: 'NONCE_TOO_FAR',
  /** A pooled transaction already writes this record key; only one can ever commit. */
  RECORD_KEY_PENDING: 'RECORD_KEY_PENDING',
  /** The pool is at its transaction or byte bound and nothing may be evicted; retry later. */
  MEMPOOL_FULL: 'MEMPOOL_FULL',
  /** The sender already has the most transactions one sender may pool; retry later. */
  SENDER_QUEUE_FULL: 'SENDER_QUEUE_FULL',
  /** A pooled, gapped transaction was evicted to make room for an executable one. */
  MEMPOOL_EVICTED: 'MEMPOOL_EVICTED',
  /** A gapped transaction waited longer than the queued age limit. */
  QUEUED_EXPIRED: 'QUEUED_EXPIRED',
} as const;

/** One of the mempool's own codes. */
export type MempoolErrorCode = (typeof MempoolErrorCode)[keyof typeof MempoolErrorCode];

/** Any code the mempool reports: a chain rejection or one of its own. */
export type MempoolRejectionCode = ChainErrorCode | MempoolErrorCode;
