import type { BlockHeader } from '#chain';

/** A found proof-of-work seal and what finding it cost. */
export interface SealResult {
  /** The nonce to put in `powNonce` (with `powDifficultyBits` set to the sealed difficulty). */
  nonce: bigint;
  /** The block hash with that nonce. */
  hash: Uint8Array;
  /** Hashes computed by all workers together, including those cancelled after the find. */
  hashes: number;
  /** Wall time of the seal, for hash-rate and seal-time metrics. */
  elapsedMs: number;
}

/** Finds a proof-of-work nonce for a block header, in parallel. */
export interface PowSealer {
  /**
   * Searches nonces until the block hash of `header` with `powDifficultyBits = difficultyBits`
   * has `difficultyBits` leading zero bits. Rejects with POW_ABORTED when `signal` aborts.
   */
  seal(header: BlockHeader, difficultyBits: number, signal?: AbortSignal): Promise<SealResult>;
  /** Stops the workers and releases their resources. */
  close(): Promise<void>;
}

/** Error codes of the sealers. */
export const PowErrorCode = {
  POW_ABORTED: 'POW_ABORTED',
  POW_BAD_DIFFICULTY: 'POW_BAD_DIFFICULTY',
  POW_JOB_FAILED: 'POW_JOB_FAILED',
  POW_SEALER_CLOSED: 'POW_SEALER_CLOSED',
} as const;
