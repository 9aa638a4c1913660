import type { Block, EntryChanges, Transaction, TxLimits } from '#chain';
import { BullPowSealer, LocalPowSealer, sealedHeader, type HeaderSealer, type PowSealer } from '#consensus';
import { createTxVerifier, LocalTxVerifier, type SignatureCheck, type TxVerifier } from '#mempool';
import { inlineSignatureVerifier, type SignatureVerifier } from './admission.js';

// Below this many transactions, handing a batch to another thread or process costs more than
// verifying it here (native libsecp256k1 verifies one in ~60 µs).
const MIN_BATCH_FOR_WORKERS = 64;

/** What a worker thread needs to check each transaction's signature. */
export function signatureChecksOf(txs: readonly Transaction[]): SignatureCheck[] {
  return txs.map((tx) => ({ signature: tx.signature, digest: tx.signingDigest, publicKey: tx.body.sender }));
}

/**
 * Batch signature verification for admission: Bull queues with sandboxed processes when
 * `redisUrl` is set, a worker-thread pool otherwise; small batches stay on this thread. Both
 * run the same processor code.
 */
export class BatchSignatureVerifier implements SignatureVerifier {
  readonly kind: string;
  /** Block sync's LtHash expansions on the same worker threads (undefined with Bull: this thread does them). */
  readonly stateDeltas?: (blocks: EntryChanges[]) => Promise<Uint16Array[]>;

  constructor(private readonly verifier: TxVerifier) {
    this.kind = verifier.kind;
    if (verifier instanceof LocalTxVerifier) this.stateDeltas = (blocks) => verifier.stateDeltas(blocks);
  }

  static create(options: { chainId: string; limits: TxLimits; redisUrl?: string; workers?: number }): BatchSignatureVerifier {
    return new BatchSignatureVerifier(createTxVerifier({ chainId: options.chainId, limits: options.limits, redisUrl: options.redisUrl, workers: options.workers }));
  }

  async verifyAll(txs: readonly Transaction[]): Promise<boolean[]> {
    if (txs.length < MIN_BATCH_FOR_WORKERS) return inlineSignatureVerifier.verifyAll(txs);
    // Worker threads get the digest this thread will execute against: they only verify.
    if (this.verifier instanceof LocalTxVerifier) return this.verifier.verifySignatureChecks(signatureChecksOf(txs));
    const results = await this.verifier.verifyBatch(txs.map((tx) => tx.bytes));
    // Results are matched by hash, never by position alone: a worker's answer is not trusted blindly.
    return results.map((result, i) => result.ok && result.hashHex === txs[i].hashHex);
  }

  close(): Promise<void> {
    return this.verifier.close();
  }
}

/** Seals proposed blocks with proof of work on worker threads, or on Bull workers with Redis. */
export class BlockSealer implements HeaderSealer {
  constructor(
    private readonly sealer: PowSealer,
    private readonly onSealed: (hashes: number, elapsedMs: number) => void = () => undefined,
  ) {}

  static create(options: { redisUrl?: string; workers?: number; onSealed?: (hashes: number, elapsedMs: number) => void }): BlockSealer {
    return new BlockSealer(options.redisUrl ? new BullPowSealer({ redisUrl: options.redisUrl }) : new LocalPowSealer({ workers: options.workers }), options.onSealed);
  }

  async seal(block: Block, difficultyBits: number): Promise<Block> {
    const result = await this.sealer.seal(block.header, difficultyBits);
    this.onSealed(result.hashes, result.elapsedMs);
    return { ...block, header: sealedHeader(block.header, difficultyBits, result.nonce) };
  }

  close(): Promise<void> {
    return this.sealer.close();
  }
}
