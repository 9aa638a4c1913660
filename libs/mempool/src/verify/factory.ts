import { BullTxVerifier, type BullTxVerifierOptions } from './bull-verifier.js';
import { InlineTxVerifier } from './inline-verifier.js';
import { LocalTxVerifier } from './local-verifier.js';
import type { TxVerifier, VerifyPolicy } from './types.js';

/** Options of `createTxVerifier`. */
export interface CreateTxVerifierOptions extends VerifyPolicy {
  /** Redis URL: verification goes through Bull. Without it, local worker threads. */
  redisUrl?: string;
  /** Worker threads or sandboxed processes; 0 verifies inline (without Redis). */
  workers?: number;
  /** Further Bull settings when `redisUrl` is set. */
  bull?: Omit<BullTxVerifierOptions, 'redisUrl' | 'chainId' | 'limits' | 'processes'>;
}

/**
 * The verifier for this node: Bull when a Redis URL is configured, else a worker-thread pool
 * sized to the cores, else (workers: 0) the calling thread.
 */
export function createTxVerifier(options: CreateTxVerifierOptions): TxVerifier {
  const policy: VerifyPolicy = { chainId: options.chainId, limits: options.limits };
  if (options.redisUrl) return new BullTxVerifier({ ...options.bull, ...policy, redisUrl: options.redisUrl, processes: options.workers });
  if (options.workers === 0) return new InlineTxVerifier(policy);
  return new LocalTxVerifier({ ...policy, workers: options.workers });
}
