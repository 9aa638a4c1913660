import { AccordError } from '#common';

/**
 * Every rejection code of the chain domain. These strings are part of the public API: REST
 * returns them as `code`, the Kafka DLQ as the reason header, receipts as the status reason.
 */
export const ChainErrorCode = {
  MALFORMED_TX: 'MALFORMED_TX',
  NON_CANONICAL_ENCODING: 'NON_CANONICAL_ENCODING',
  TX_TOO_LARGE: 'TX_TOO_LARGE',
  UNKNOWN_TX_TYPE: 'UNKNOWN_TX_TYPE',
  BAD_PUBLIC_KEY: 'BAD_PUBLIC_KEY',
  BAD_SIGNATURE: 'BAD_SIGNATURE',
  WRONG_CHAIN_ID: 'WRONG_CHAIN_ID',
  NOT_A_MEMBER: 'NOT_A_MEMBER',
  MEMBER_SUSPENDED: 'MEMBER_SUSPENDED',
  NOT_GOVERNANCE: 'NOT_GOVERNANCE',
  NONCE_REPLAY: 'NONCE_REPLAY',
  NONCE_GAP: 'NONCE_GAP',
  INSUFFICIENT_BALANCE: 'INSUFFICIENT_BALANCE',
  BALANCE_OVERFLOW: 'BALANCE_OVERFLOW',
  AMOUNT_ZERO: 'AMOUNT_ZERO',
  AMOUNT_OVER_LIMIT: 'AMOUNT_OVER_LIMIT',
  BAD_ADDRESS: 'BAD_ADDRESS',
  SELF_TRANSFER: 'SELF_TRANSFER',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  BAD_RECORD_KEY: 'BAD_RECORD_KEY',
  RECORD_EXISTS: 'RECORD_EXISTS',
  MEMBER_EXISTS: 'MEMBER_EXISTS',
  MEMBER_UNKNOWN: 'MEMBER_UNKNOWN',
  MEMBER_REMOVED: 'MEMBER_REMOVED',
  BAD_MEMBER_STATUS: 'BAD_MEMBER_STATUS',
  BAD_NODE_INFO: 'BAD_NODE_INFO',
  NODE_EXISTS: 'NODE_EXISTS',
  NODE_UNKNOWN: 'NODE_UNKNOWN',
  NODE_REMOVED: 'NODE_REMOVED',
  NODE_NOT_LEARNER: 'NODE_NOT_LEARNER',
  LAST_VOTER: 'LAST_VOTER',
  ONE_NODE_CHANGE_PER_BLOCK: 'ONE_NODE_CHANGE_PER_BLOCK',
  DUPLICATE_TX_IN_BLOCK: 'DUPLICATE_TX_IN_BLOCK',
  MALFORMED_BLOCK: 'MALFORMED_BLOCK',
  BAD_BLOCK_HEIGHT: 'BAD_BLOCK_HEIGHT',
  BAD_PARENT: 'BAD_PARENT',
  BAD_TX_ROOT: 'BAD_TX_ROOT',
  BAD_STATE_ROOT: 'BAD_STATE_ROOT',
  BAD_POW: 'BAD_POW',
  BLOCK_TOO_LARGE: 'BLOCK_TOO_LARGE',
  INVALID_GENESIS: 'INVALID_GENESIS',
} as const;

/** One of the chain's rejection codes. */
export type ChainErrorCode = (typeof ChainErrorCode)[keyof typeof ChainErrorCode];

/** An error raised by the chain domain, always with a ChainErrorCode. */
export class ChainError extends AccordError {
  declare readonly code: ChainErrorCode;

  constructor(code: ChainErrorCode, message: string) {
    super(code, message);
    this.name = 'ChainError';
  }
}
