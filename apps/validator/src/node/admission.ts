import { ChainError, Transaction, type TxLimits } from '#chain';
import type { Ledger } from '#ledger';
import type { TxSource } from '#mempool';

/** Verifies signatures of decoded transactions, possibly on other threads or machines. */
export interface SignatureVerifier {
  readonly kind: string;
  verifyAll(txs: readonly Transaction[]): Promise<boolean[]>;
}

/** Verifies on the calling thread (native libsecp256k1: ~17,000/s per core). */
export const inlineSignatureVerifier: SignatureVerifier = {
  kind: 'inline',
  verifyAll: async (txs) => txs.map((tx) => tx.verifySignature()),
};

/** The part of the mempool admission uses. */
export interface AdmissionPool {
  add(
    tx: Transaction,
    source: TxSource,
  ): { accepted: true; hashHex: string; status: 'ready' | 'queued'; evicted?: readonly Transaction[] } | { accepted: false; hashHex: string; code: string; message: string; retryAfterMs?: number };
  readyCount(): number;
}

/** The outcome of one submission. */
export type SubmissionResult =
  | { accepted: true; hashHex: string; status: 'pending' | 'queued' }
  | { accepted: false; hashHex?: string; code: string; message: string; retryAfterMs?: number };

/** Callbacks admission makes after pooling. */
export interface AdmissionHooks {
  /** Transactions were pooled: the engine may cut a block early or forward them to the leader. */
  admitted(readyCount: number, txs: readonly Transaction[], source: TxSource): void;
  /** Gapped transactions evicted for room: they will never commit. */
  evicted(txs: readonly Transaction[]): void;
}

/**
 * Admission of raw signed transactions from REST, Kafka or peers: decode and structural checks,
 * de-duplication against the ledger (already committed) and the pool, batched signature
 * verification, then the pool's stateful checks. Nothing is pooled before its signature
 * verified, so the pool can vouch for every transaction it holds ("verified once").
 */
export class Admission {
  constructor(
    private readonly ledger: Ledger,
    private readonly pool: AdmissionPool,
    private readonly verifier: SignatureVerifier,
    private readonly limits: TxLimits,
    private readonly hooks: AdmissionHooks,
  ) {}

  async submit(rawTxs: readonly Uint8Array[], source: TxSource): Promise<SubmissionResult[]> {
    const results: SubmissionResult[] = new Array(rawTxs.length);
    const decoded: Array<{ index: number; tx: Transaction }> = [];
    rawTxs.forEach((raw, index) => {
      try {
        decoded.push({ index, tx: Transaction.fromBytes(raw, this.limits) });
      } catch (error) {
        if (!(error instanceof ChainError)) throw error;
        results[index] = { accepted: false, code: error.code, message: error.message };
      }
    });
    const committed = await this.ledger.committedAmong(decoded.map((d) => d.tx.hashHex));
    const toVerify = decoded.filter((d) => {
      if (!committed.has(d.tx.hashHex)) return true;
      results[d.index] = { accepted: false, hashHex: d.tx.hashHex, code: 'TX_ALREADY_COMMITTED', message: 'transaction is already committed' };
      return false;
    });
    const valid = await this.verifier.verifyAll(toVerify.map((d) => d.tx));
    const evicted: Transaction[] = [];
    const pooled: Transaction[] = [];
    toVerify.forEach((d, i) => {
      if (!valid[i]) {
        results[d.index] = { accepted: false, hashHex: d.tx.hashHex, code: 'BAD_SIGNATURE', message: 'signature does not verify for the sender key' };
        return;
      }
      const admitted = this.pool.add(d.tx, source);
      if (admitted.accepted) {
        results[d.index] = { accepted: true, hashHex: admitted.hashHex, status: admitted.status === 'ready' ? 'pending' : 'queued' };
        pooled.push(d.tx);
        if (admitted.evicted?.length) evicted.push(...admitted.evicted);
      } else {
        results[d.index] = { accepted: false, hashHex: admitted.hashHex, code: admitted.code, message: admitted.message, retryAfterMs: admitted.retryAfterMs };
      }
    });
    if (evicted.length) this.hooks.evicted(evicted);
    if (pooled.length) this.hooks.admitted(this.pool.readyCount(), pooled, source);
    return results;
  }
}
