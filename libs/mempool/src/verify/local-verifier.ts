import { DEFAULT_TX_LIMITS, LTHASH_LANES } from '#chain';
import { availableParallelism } from 'node:os';
import { packBlockEntries, packSignatureChecks, type BlockEntries } from './packed-jobs.js';
import { ThreadPool } from './thread-pool.js';
import type { SignatureCheck, SignatureCheckJob, SignatureCheckResult, StateDeltaJob, StateDeltaResult, TxVerifier, VerifyJobResult, VerifyPolicy, VerifyResult } from './types.js';

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
  private readonly pool: ThreadPool<VerifyJobResult | SignatureCheckResult | StateDeltaResult>;
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
    const parts = (await Promise.all(slices.map((txs) => this.pool.run({ chainId, limits, txs })))) as VerifyJobResult[];
    return parts.flatMap((part) => part.results);
  }

  /**
   * Checks signatures over digests the caller computed from transactions it already decoded:
   * the threads only verify (no decoding, no hashing). One answer per check, in order.
   */
  async verifySignatureChecks(checks: readonly SignatureCheck[]): Promise<boolean[]> {
    if (checks.length === 0) return [];
    const slices = splitEvenly(checks, this.pool.size, this.minTxsPerTask);
    const parts = (await Promise.all(
      slices.map((part) => {
        const packedChecks = packSignatureChecks(part);
        return this.pool.run({ packedChecks } satisfies SignatureCheckJob, [packedChecks.buffer as ArrayBuffer]);
      }),
    )) as SignatureCheckResult[];
    const valid = parts.flatMap((part) => Array.from(part.valid, (flag) => flag === 1));
    if (valid.length !== checks.length) throw new Error(`expected ${checks.length} answers, got ${valid.length}`);
    return valid;
  }

  /**
   * The LtHash lanes each block's entries move the state commitment by (`LtHash.deltaOf`), on
   * the same threads: block sync takes the state-root expansions off the thread that executes.
   */
  async stateDeltas(blocks: readonly BlockEntries[]): Promise<Uint16Array[]> {
    if (blocks.length === 0) return [];
    const slices = splitEvenly(blocks, this.pool.size, 1);
    const parts = (await Promise.all(
      slices.map((part) => {
        const blockEntries = packBlockEntries(part);
        return this.pool.run({ blockEntries } satisfies StateDeltaJob, [blockEntries.bytes.buffer as ArrayBuffer, blockEntries.layout.buffer as ArrayBuffer]);
      }),
    )) as StateDeltaResult[];
    const deltas = parts.flatMap((part) => Array.from({ length: part.lanes.length / LTHASH_LANES }, (_, i) => part.lanes.subarray(i * LTHASH_LANES, (i + 1) * LTHASH_LANES)));
    if (deltas.length !== blocks.length) throw new Error(`expected ${blocks.length} deltas, got ${deltas.length}`);
    return deltas;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
