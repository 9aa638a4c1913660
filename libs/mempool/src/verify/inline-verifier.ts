import { DEFAULT_TX_LIMITS } from '#chain';
import { processVerifyJob } from './process-verify-job.js';
import type { TxVerifier, VerifyPolicy, VerifyResult } from './types.js';

/** Runs `processVerifyJob` on the calling thread: for small batches and tests. */
export class InlineTxVerifier implements TxVerifier {
  readonly kind = 'inline' as const;

  constructor(private readonly policy: VerifyPolicy) {}

  async verifyBatch(txBytes: Uint8Array[]): Promise<VerifyResult[]> {
    const { chainId, limits = DEFAULT_TX_LIMITS } = this.policy;
    return processVerifyJob({ data: { chainId, limits, txs: txBytes } }).results;
  }

  async close(): Promise<void> {}
}
