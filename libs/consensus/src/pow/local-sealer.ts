import { blockHash, meetsDifficulty, type BlockHeader } from '#chain';
import { AccordError, workerThreadSource } from '#common';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { sealTemplate } from './nonce-search.js';
import type { ThreadSealOrder, ThreadSealReport } from './seal-thread.js';
import { PowErrorCode, type PowSealer, type SealResult } from './types.js';

/** Options of `LocalPowSealer`. */
export interface LocalPowSealerOptions {
  /** Worker threads; defaults to `os.availableParallelism()`. */
  workers?: number;
  /** Nonces a thread claims at a time; 16,384 when omitted. */
  chunkSize?: number;
}

/** Checks a difficulty argument: 1..255 leading zero bits (0 means no proof of work). */
export function assertDifficulty(difficultyBits: number): void {
  if (!Number.isInteger(difficultyBits) || difficultyBits < 1 || difficultyBits > 255) {
    throw new AccordError(PowErrorCode.POW_BAD_DIFFICULTY, `difficulty must be 1..255 bits, got ${difficultyBits}`);
  }
}

/** The sealed header: `header` with the difficulty and nonce of a seal. */
export function sealedHeader(header: BlockHeader, difficultyBits: number, nonce: bigint): BlockHeader {
  return { ...header, powDifficultyBits: difficultyBits, powNonce: nonce };
}

/**
 * Seals on worker threads: every thread claims nonce chunks from a shared counter and polls a
 * shared stop flag (`SharedArrayBuffer` + `Atomics`), so the first find stops all of them
 * within about a thousand hashes. One seal runs at a time; further calls queue.
 */
export class LocalPowSealer implements PowSealer {
  private readonly threads: Worker[];
  private readonly threadSource: string;
  private readonly chunkSize: number;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(options: LocalPowSealerOptions = {}) {
    const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
    this.threadSource = workerThreadSource(new URL(`./seal-thread.${extension}`, import.meta.url).href);
    this.threads = Array.from({ length: options.workers ?? availableParallelism() }, () => this.spawn());
    this.chunkSize = options.chunkSize ?? 16_384;
  }

  private spawn(): Worker {
    return new Worker(this.threadSource, { eval: true });
  }

  /** Number of worker threads. */
  get workers(): number {
    return this.threads.length;
  }

  seal(header: BlockHeader, difficultyBits: number, signal?: AbortSignal): Promise<SealResult> {
    const run = this.queue.then(() => this.sealNow(header, difficultyBits, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async sealNow(header: BlockHeader, difficultyBits: number, signal?: AbortSignal): Promise<SealResult> {
    if (this.closed) throw new AccordError(PowErrorCode.POW_SEALER_CLOSED, 'the sealer is closed');
    assertDifficulty(difficultyBits);
    signal?.throwIfAborted();
    const startedMs = performance.now();
    const control = new SharedArrayBuffer(8);
    const flags = new Int32Array(control);
    const order: ThreadSealOrder = { template: sealTemplate(header, difficultyBits), difficultyBits, control, chunkSize: this.chunkSize };
    // Any value other than 0 stops the threads; 2 marks an abort (1 is a find).
    const onAbort = () => Atomics.store(flags, 0, 2);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const settled = await Promise.allSettled(this.threads.map((thread) => this.runOn(thread, order, flags)));
      const failure = this.replaceFailedThreads(settled);
      if (failure) throw failure;
      const reports = settled.map((outcome) => (outcome as PromiseFulfilledResult<ThreadSealReport>).value);
      const hashes = reports.reduce((sum, report) => sum + report.hashes, 0);
      const winner = reports.find((report) => report.nonce !== undefined);
      if (!winner || winner.nonce === undefined) throw new AccordError(PowErrorCode.POW_ABORTED, 'seal aborted');
      const hash = blockHash(sealedHeader(header, difficultyBits, winner.nonce));
      if (!meetsDifficulty(hash, difficultyBits)) throw new AccordError(PowErrorCode.POW_JOB_FAILED, 'a worker reported an invalid seal');
      return { nonce: winner.nonce, hash, hashes, elapsedMs: performance.now() - startedMs };
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  // A thread that fails raises the stop flag so the others finish too: every thread has
  // answered (or died) before the next seal posts to it, so no late report is mistaken for its.
  private runOn(thread: Worker, order: ThreadSealOrder, flags: Int32Array): Promise<ThreadSealReport> {
    return new Promise((resolve, reject) => {
      const detach = () => {
        thread.off('message', onMessage);
        thread.off('error', onError);
        thread.off('exit', onExit);
      };
      const onMessage = (report: ThreadSealReport) => {
        detach();
        resolve(report);
      };
      const onError = (error: Error) => {
        detach();
        Atomics.store(flags, 0, 2);
        reject(new AccordError(PowErrorCode.POW_JOB_FAILED, `seal thread failed: ${error.message}`));
      };
      const onExit = () => {
        detach();
        Atomics.store(flags, 0, 2);
        reject(this.closed ? new AccordError(PowErrorCode.POW_SEALER_CLOSED, 'the sealer closed during the seal') : new AccordError(PowErrorCode.POW_JOB_FAILED, 'a seal thread exited'));
      };
      thread.on('message', onMessage);
      thread.on('error', onError);
      thread.on('exit', onExit);
      thread.postMessage(order);
    });
  }

  // Replaces threads that died during a seal and returns the first failure, if any.
  private replaceFailedThreads(settled: Array<PromiseSettledResult<ThreadSealReport>>): Error | undefined {
    let failure: Error | undefined;
    settled.forEach((outcome, index) => {
      if (outcome.status === 'fulfilled') return;
      failure ??= outcome.reason as Error;
      void this.threads[index].terminate();
      if (!this.closed) this.threads[index] = this.spawn();
    });
    return failure;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((thread) => thread.terminate()));
  }
}
