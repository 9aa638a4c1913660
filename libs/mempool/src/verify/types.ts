import type { TxLimits } from '#chain';
import type { PackedBlockEntries } from './packed-jobs.js';

/**
 * The verdict on one submitted transaction. `hashHex` is the SHA-256 of the submitted bytes
 * (the transaction id when `ok`), present on rejections too so they can be reported by id.
 * A verdict carries no decoded transaction: a caller that accepts `ok` bytes rebuilds the
 * `Transaction` with `Transaction.fromBytes` (decoding only, microseconds) and must not call
 * `verifySignature()` again.
 */
export type VerifyResult = { ok: true; hashHex: string } | { ok: false; hashHex: string; code: string; message: string };

/** Verifies signed transactions in bulk: decode, structural checks, chain id, hash, signature. */
export interface TxVerifier {
  /** One verdict per input, in input order. */
  verifyBatch(txBytes: Uint8Array[]): Promise<VerifyResult[]>;
  /** Releases workers, processes and connections. */
  close(): Promise<void>;
  /** Where the work runs: Bull sandboxed processes, local worker threads, or this thread. */
  readonly kind: 'bull' | 'local' | 'inline';
}

/** What every verifier checks transactions against. */
export interface VerifyPolicy {
  /** Transactions for any other chain are rejected with WRONG_CHAIN_ID. */
  chainId: string;
  /** Size limits; DEFAULT_TX_LIMITS when omitted. */
  limits?: TxLimits;
}

/**
 * The input of `processVerifyJob`: one batch. `txs` holds base64 strings when the job
 * travelled as JSON (Bull) and raw bytes when it was structured-cloned (worker threads).
 */
export interface VerifyJobData {
  chainId: string;
  limits: TxLimits;
  txs: ReadonlyArray<string | Uint8Array>;
}

/** The output of `processVerifyJob`: one verdict per transaction of the batch, in order. */
export interface VerifyJobResult {
  results: VerifyResult[];
}

/**
 * One signature to check over a digest the caller computed from a transaction it already
 * decoded (block sync, admission): the thread that checks it need not decode or hash anything.
 */
export interface SignatureCheck {
  signature: Uint8Array;
  digest: Uint8Array;
  publicKey: Uint8Array;
}

/** A batch of signature checks, as handed to a worker thread (`packSignatureChecks`). */
export interface SignatureCheckJob {
  packedChecks: Uint8Array;
}

/** Whether each signature of a `SignatureCheckJob` verifies, in order: 1 when it does. */
export interface SignatureCheckResult {
  valid: Uint8Array;
}

/** Block sync's state-root work for a worker thread: each block's removed and added entries (`packBlockEntries`). */
export interface StateDeltaJob {
  blockEntries: PackedBlockEntries;
}

/** The LtHash lanes each block of a `StateDeltaJob` moves the state commitment by: 1,024 per block, in order. */
export interface StateDeltaResult {
  lanes: Uint16Array;
}
