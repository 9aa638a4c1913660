import { DEFAULT_TX_LIMITS } from '#chain';
import { AccordError, sandboxProcessorFile } from '#common';
import Bull from 'bull';
import { availableParallelism } from 'node:os';
import { checkBatchResults, inputHashes } from './check-results.js';
import { processVerifyJob } from './process-verify-job.js';
import type { TxVerifier, VerifyJobData, VerifyPolicy, VerifyResult } from './types.js';

/** Bull queue name of batch verification (register it under this name with @nestjs/bull). */
export const TX_VERIFY_QUEUE = 'accord-tx-verify';

/** Options of `BullTxVerifier`. */
export interface BullTxVerifierOptions extends VerifyPolicy {
  /** Redis connection URL, e.g. `redis://127.0.0.1:6379`. */
  redisUrl: string;
  /** Redis key prefix; `bull` (the @nestjs/bull default) when omitted. */
  prefix?: string;
  /** Queue name; TX_VERIFY_QUEUE when omitted. */
  queueName?: string;
  /** Transactions per job (jobs are never single transactions); 512 when omitted. */
  txsPerJob?: number;
  /** Sandboxed processes verifying on this node; 0 only submits. Defaults to the core count. */
  processes?: number;
  /** Attempts per job before it fails for good; 5 when omitted. */
  attempts?: number;
  /** First retry delay, doubled on each further attempt; 100 when omitted. */
  backoffMs?: number;
  /** How often Bull looks for jobs whose worker stopped renewing its lock; 5,000 when omitted. */
  stalledIntervalMs?: number;
  /** Times a job may stall before it fails; 2 when omitted. */
  maxStalledCount?: number;
  /** Lock time of an active job, renewed by a live worker; 30,000 when omitted. */
  lockDurationMs?: number;
  /** Resubmissions of a batch whose result does not match it before computing it here; 2. */
  maxResultMismatches?: number;
  /** ESM module URL whose default export processes a job; the standard processor when omitted. */
  processorModuleUrl?: string;
}

type VerifyJobPayload = VerifyJobData & { txs: string[]; round: number };

function defaultProcessorUrl(): string {
  const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`./bull-verify-processor.${extension}`, import.meta.url).href;
}

/**
 * Verifies batches through a Bull queue in Redis: batches are cut into jobs of hundreds of
 * transactions and processed by sandboxed child processes on any node attached to the queue.
 * Failed and stalled jobs are retried with exponential backoff; a result that does not answer
 * its batch exactly (count and per-item hash) is never trusted: the batch is resubmitted and,
 * after `maxResultMismatches`, computed on this thread.
 */
export class BullTxVerifier implements TxVerifier {
  readonly kind = 'bull' as const;
  /** The underlying queue (job counts, events) for metrics and operations. */
  readonly queue: Bull.Queue<VerifyJobPayload>;
  private readonly txsPerJob: number;
  private mismatchCount = 0;

  constructor(private readonly options: BullTxVerifierOptions) {
    this.txsPerJob = Math.max(1, options.txsPerJob ?? 512);
    this.queue = new Bull<VerifyJobPayload>(options.queueName ?? TX_VERIFY_QUEUE, options.redisUrl, {
      prefix: options.prefix ?? 'bull',
      settings: {
        stalledInterval: options.stalledIntervalMs ?? 5_000,
        maxStalledCount: options.maxStalledCount ?? 2,
        lockDuration: options.lockDurationMs ?? 30_000,
      },
    });
    // job.finished() adds a listener pair per awaited job, and a large batch awaits many.
    this.queue.setMaxListeners(0);
    const processes = options.processes ?? availableParallelism();
    if (processes > 0) {
      const processorFile = sandboxProcessorFile(options.processorModuleUrl ?? defaultProcessorUrl());
      void this.queue.process(processes, processorFile);
    }
  }

  /** Batch results rejected so far because they did not match their batch. */
  get resultMismatches(): number {
    return this.mismatchCount;
  }

  async verifyBatch(txBytes: Uint8Array[]): Promise<VerifyResult[]> {
    const jobs: Array<Promise<VerifyResult[]>> = [];
    for (let start = 0; start < txBytes.length; start += this.txsPerJob) {
      jobs.push(this.verifyJob(txBytes.slice(start, start + this.txsPerJob)));
    }
    return (await Promise.all(jobs)).flat();
  }

  private async verifyJob(txBytes: Uint8Array[]): Promise<VerifyResult[]> {
    const { chainId, limits = DEFAULT_TX_LIMITS } = this.options;
    const expected = inputHashes(txBytes);
    const txs = txBytes.map((bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'));
    const maxRounds = this.options.maxResultMismatches ?? 2;
    for (let round = 0; round <= maxRounds; round++) {
      const job = await this.queue.add(
        { chainId, limits, txs, round },
        { attempts: this.options.attempts ?? 5, backoff: { type: 'exponential', delay: this.options.backoffMs ?? 100 } },
      );
      let returned: unknown;
      try {
        returned = await job.finished();
      } catch (error) {
        throw new AccordError('VERIFY_JOB_FAILED', `verification job ${job.id} failed after all attempts: ${(error as Error).message}`);
      } finally {
        await job.remove().catch(() => undefined);
      }
      const results = typeof returned === 'object' && returned !== null ? (returned as { results?: unknown }).results : undefined;
      const checked = checkBatchResults(expected, results);
      if (checked) return checked;
      this.mismatchCount++;
    }
    return processVerifyJob({ data: { chainId, limits, txs: txBytes } }).results;
  }

  /** Stops the sandboxed processes and closes the Redis connections. */
  async close(): Promise<void> {
    await this.queue.close();
  }
}
