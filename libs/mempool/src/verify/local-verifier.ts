import { DEFAULT_TX_LIMITS } from '#chain';
import { availableParallelism } from 'node:os';
import { ThreadPool } from './thread-pool.js';
import type { TxVerifier, VerifyJobResult, VerifyPolicy, VerifyResult } from './types.js';

/** Options of `LocalTxVerifier`. */
export interface LocalTxVerifierOptions extends VerifyPolicy {
  /** Worker threads; defaults to `os.availableParallelism()`. */
  workers?: number;
  /** Smallest slice handed to one thread: below it, messaging costs more than it saves. */
  minTxsPerTask?: number;
}

/** Splits `items` into at most `parts` contiguous slices of at least `minSize` items. */
export function splitEvenly<T>(items: readonly T[], parts: number, minSize: number): T[][] {
  const count = Math.max(1, Math.min(parts, Math.floor(items.length / Math.max(1, minSize))));
  const size = Math.ceil(items.length / count);
  const slices: T[][] = [];
  for (let start = 0; start < items.length; start += size) slices.push(items.slice(start, start + size));
  return slices;
}

/**
 * Verifies batches on a pool of worker threads sized to the cores: the embedded default when
 * no Redis is configured. Each batch is split across the threads and reassembled in order.
 */
export class LocalTxVerifier implements TxVerifier {
  readonly kind = 'local' as const;
  private readonly pool: ThreadPool<VerifyJobResult>;
  private readonly minTxsPerTask: number;

  constructor(private readonly options: LocalTxVerifierOptions) {
    const workers = options.workers ?? availableParallelism();
    const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
    this.pool = new ThreadPool(new URL(`./verify-thread.${extension}`, import.meta.url).href, workers);
    this.minTxsPerTask = options.minTxsPerTask ?? 32;
  }

  /** Number of worker threads. */
  get workers(): number {
    return this.pool.size;
  }

  async verifyBatch(txBytes: Uint8Array[]): Promise<VerifyResult[]> {
    if (txBytes.length === 0) return [];
    const { chainId, limits = DEFAULT_TX_LIMITS } = this.options;
    const slices = splitEvenly(txBytes, this.pool.size, this.minTxsPerTask);
    const parts = await Promise.all(slices.map((txs) => this.pool.run({ chainId, limits, txs })));
    return parts.flatMap((part) => part.results);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
