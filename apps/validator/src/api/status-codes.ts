import type { StatusByCode } from '#common';

/**
 * HTTP status of each rejection code. 400: the input itself is wrong; 409: it conflicts with
 * what the chain already has; 413: too big; 422: well-formed but not allowed by the state;
 * 429: back-pressure (with Retry-After). Unlisted domain codes are 422.
 */
export const VALIDATOR_STATUS_BY_CODE: StatusByCode = {
  MALFORMED_TX: 400,
  NON_CANONICAL_ENCODING: 400,
  UNKNOWN_TX_TYPE: 400,
  BAD_PUBLIC_KEY: 400,
  BAD_SIGNATURE: 400,
  BAD_ADDRESS: 400,
  AMOUNT_ZERO: 400,
  BAD_RECORD_KEY: 400,
  WRONG_CHAIN_ID: 400,
  INVALID_HEX: 400,
  INVALID_HASH: 400,
  INVALID_HEIGHT: 400,
  TX_DUPLICATE: 409,
  TX_ALREADY_COMMITTED: 409,
  NONCE_IN_USE: 409,
  NONCE_REPLAY: 409,
  RECORD_EXISTS: 409,
  TX_TOO_LARGE: 413,
  PAYLOAD_TOO_LARGE: 413,
  MEMPOOL_FULL: 429,
  SENDER_QUEUE_FULL: 429,
};

/** The status for a code, as the exception filter would map it. */
export function statusOf(code: string): number {
  return VALIDATOR_STATUS_BY_CODE[code] ?? 422;
}
