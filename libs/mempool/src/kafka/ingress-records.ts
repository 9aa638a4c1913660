import { MempoolErrorCode } from '../pool/codes.js';

/** What the ingress does with a refused message. */
export type RefusalAction = 'await-commit' | 'retry' | 'retry-bounded' | 'dead-letter';

// Already known: the message is done once that transaction commits (exactly-once by tx hash).
const KNOWN_CODES: ReadonlySet<string> = new Set(['TX_ALREADY_COMMITTED', MempoolErrorCode.TX_DUPLICATE]);
// Back-pressure: the same message will be accepted later.
const RETRY_CODES: ReadonlySet<string> = new Set([MempoolErrorCode.MEMPOOL_FULL, MempoolErrorCode.SENDER_QUEUE_FULL]);
// Usually the sender's earlier transactions have not committed yet, so it clears on its own;
// a nonce that is really far ahead must not stall the partition forever.
const BOUNDED_RETRY_CODES: ReadonlySet<string> = new Set([MempoolErrorCode.NONCE_TOO_FAR]);

/**
 * Classifies an admission refusal. Anything that is neither "already known" nor back-pressure
 * is permanent for these exact bytes, so it goes to the DLQ and never stalls its partition.
 */
export function refusalAction(code: string): RefusalAction {
  if (KNOWN_CODES.has(code)) return 'await-commit';
  if (RETRY_CODES.has(code)) return 'retry';
  if (BOUNDED_RETRY_CODES.has(code)) return 'retry-bounded';
  return 'dead-letter';
}

/** A record as consumed (only what the DLQ needs to reproduce it). */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
}

/** A record to produce. */
export interface OutgoingRecord {
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, string>;
}

/** Header names of a DLQ record. */
export const DLQ_HEADERS = {
  reason: 'reason',
  message: 'message',
  topic: 'original-topic',
  partition: 'original-partition',
  offset: 'original-offset',
} as const;

/** The DLQ copy of a refused record: original key and value, the reason code and where it came from. */
export function deadLetterRecord(original: ConsumedRecord, reason: string, message: string): OutgoingRecord {
  return {
    key: original.key,
    value: original.value,
    headers: {
      [DLQ_HEADERS.reason]: reason,
      [DLQ_HEADERS.message]: message,
      [DLQ_HEADERS.topic]: original.topic,
      [DLQ_HEADERS.partition]: String(original.partition),
      [DLQ_HEADERS.offset]: original.offset,
    },
  };
}

/** The JSON value of a receipt record (key = tx hash, so a repeated receipt is idempotent). */
export type TxReceipt =
  | { hash: string; status: 'committed'; height: number; index: number }
  | { hash: string; status: 'rejected'; reason: string; message?: string };

/** A receipt record keyed by transaction hash. */
export function receiptRecord(receipt: TxReceipt): OutgoingRecord {
  return { key: receipt.hash, value: JSON.stringify(receipt) };
}
