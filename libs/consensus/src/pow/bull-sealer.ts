import { blockHash, meetsDifficulty, type BlockHeader } from '#chain';
import { AccordError, sandboxProcessorFile } from '#common';
import Bull from 'bull';
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { SealJobData, SealJobResult } from './bull-seal-processor.js';
import { JobOutcomes } from './job-outcomes.js';
import { assertDifficulty, sealedHeader } from './local-sealer.js';
import { sealTemplate } from './nonce-search.js';
import { PowErrorCode, type PowSealer, type SealResult } from './types.js';

/** Bull queue name of proof-of-work range jobs (register it under this name with @nestjs/bull). */
export const POW_SEAL_QUEUE = 'accord-pow-seal';

/** Options of `BullPowSealer`. */
export interface BullPowSealerOptions {
  /** Redis connection URL, e.g. `redis://127.0.0.1:6379`. */
  redisUrl: string;
  /** Redis key prefix; `bull` (the @nestjs/bull default) when omitted. */
  prefix?: string;
  /** Queue name; POW_SEAL_QUEUE when omitted. */
  queueName?: string;
  /** Sandboxed processes searching on this node; 0 only submits. Defaults to the core count. */
  processes?: number;
  /** Range jobs kept queued or running per seal; twice `processes` (at least 2) when omitted. */
  jobsInFlight?: number;
  /** Nonces per range job; 2^18 when omitted. */
  rangeSize?: number;
  /** Hashes between two looks at the stop key; 16,384 when omitted. */
  checkEveryHashes?: number;
  /** Attempts per range job; 3 when omitted. */
  attempts?: number;
  /** First retry delay, doubled per attempt; 100 when omitted. */
  backoffMs?: number;
  /** How often Bull looks for stalled jobs; 5,000 when omitted. */
  stalledIntervalMs?: number;
  /** Times a job may stall before it fails; 2 when omitted. */
  maxStalledCount?: number;
}

function defaultProcessorUrl(): string {
  const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`./bull-seal-processor.${extension}`, import.meta.url).href;
}

/**
 * Seals through a Bull queue: the nonce space is cut into range jobs searched by sandboxed
 * processes on any node attached to the queue. The first valid find (re-checked here, never
 * trusted) sets a Redis stop key that running jobs poll, and queued jobs are removed.
 */
export class BullPowSealer implements PowSealer {
  /** The underlying queue (job counts, events) for metrics and operations. */
  readonly queue: Bull.Queue<SealJobData>;
  private readonly prefix: string;
  private readonly jobsInFlight: number;
  private readonly outcomes: JobOutcomes<SealJobResult>;

  constructor(private readonly options: BullPowSealerOptions) {
    this.prefix = options.prefix ?? 'bull';
    this.queue = new Bull<SealJobData>(options.queueName ?? POW_SEAL_QUEUE, options.redisUrl, {
      prefix: this.prefix,
      settings: { stalledInterval: options.stalledIntervalMs ?? 5_000, maxStalledCount: options.maxStalledCount ?? 2 },
    });
    const processes = options.processes ?? availableParallelism();
    this.jobsInFlight = options.jobsInFlight ?? Math.max(2, processes * 2);
    this.outcomes = new JobOutcomes(this.queue);
    if (processes > 0) void this.queue.process(processes, sandboxProcessorFile(defaultProcessorUrl()));
  }

  async seal(header: BlockHeader, difficultyBits: number, signal?: AbortSignal): Promise<SealResult> {
    assertDifficulty(difficultyBits);
    signal?.throwIfAborted();
    const startedMs = performance.now();
    const sealId = randomUUID();
    const stopKey = `${this.prefix}:${this.queue.name}:stop:${sealId}`;
    const rangeSize = this.options.rangeSize ?? 1 << 18;
    const base = {
      templateBase64: Buffer.from(sealTemplate(header, difficultyBits)).toString('base64'),
      difficultyBits,
      count: rangeSize,
      stopKey,
      redisUrl: this.options.redisUrl,
      checkEveryHashes: this.options.checkEveryHashes ?? 16_384,
    };
    const jobOptions: Bull.JobOptions = { attempts: this.options.attempts ?? 3, backoff: { type: 'exponential', delay: this.options.backoffMs ?? 100 } };
    const outstanding = new Map<string, Promise<unknown>>();
    let rangeIndex = 0;
    let hashes = 0;
    let settled = false;

    const search = new Promise<{ nonce: bigint; hash: Uint8Array } | undefined>((resolve, reject) => {
      const settle = (value: { nonce: bigint; hash: Uint8Array } | undefined, error?: Error) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(value);
      };
      const onAbort = () => settle(undefined);
      signal?.addEventListener('abort', onAbort, { once: true });

      const onResult = (result: SealJobResult | undefined) => {
        hashes += result?.hashes ?? 0;
        if (settled) return;
        if (result?.nonce !== undefined) {
          const nonce = BigInt(result.nonce);
          const hash = blockHash(sealedHeader(header, difficultyBits, nonce));
          // A claimed seal is re-checked: a wrong one only costs its range.
          if (meetsDifficulty(hash, difficultyBits)) return settle({ nonce, hash });
        }
        launch();
      };
      const launch = () => {
        if (settled) return;
        const jobId = `${sealId}:${rangeIndex}`;
        const startNonce = 1n + BigInt(rangeIndex++) * BigInt(rangeSize);
        const done = this.outcomes
          .wait(jobId)
          .then(onResult, (error: Error) => settle(undefined, new AccordError(PowErrorCode.POW_JOB_FAILED, `range job ${jobId} failed: ${error.message}`)))
          .finally(() => {
            outstanding.delete(jobId);
            void this.queue.removeJobs(jobId).catch(() => undefined);
          });
        outstanding.set(jobId, done);
        this.queue.add({ ...base, startNonce: startNonce.toString() }, { ...jobOptions, jobId }).catch((error: Error) => {
          this.outcomes.forget(jobId);
          settle(undefined, new AccordError(PowErrorCode.POW_JOB_FAILED, `cannot queue a range job: ${error.message}`));
        });
      };
      for (let i = 0; i < this.jobsInFlight; i++) launch();
    });
    // Found, aborted or failed: the other ranges stop either way before the seal returns.
    const found = await search.finally(() => this.stopRanges(stopKey, outstanding));
    if (!found) throw new AccordError(PowErrorCode.POW_ABORTED, 'seal aborted');
    return { ...found, hashes, elapsedMs: performance.now() - startedMs };
  }

  // Raises the stop flag, removes range jobs not yet running and waits for running ones to stop.
  // The key expires on its own: a job queued in the race with the find still sees it.
  private async stopRanges(stopKey: string, outstanding: Map<string, Promise<unknown>>): Promise<void> {
    await this.queue.client.set(stopKey, '1', 'EX', 600);
    for (const jobId of [...outstanding.keys()]) {
      const job = await this.queue.getJob(jobId);
      // Removal fails for a running (locked) job: that one stops at its next look at the key.
      const removed = job ? await job.remove().then(() => true, () => false) : false;
      if (removed) this.outcomes.forget(jobId);
    }
    await Promise.all(outstanding.values());
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
