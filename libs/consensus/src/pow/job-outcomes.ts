import type Bull from 'bull';

interface Waiter<TResult> {
  resolve(result: TResult | undefined): void;
  reject(error: Error): void;
}

/**
 * Final outcomes of Bull jobs by id, from the queue's global events and, for any event missed
 * (subscription still starting, connection blip), a poll of the jobs still awaited. Unlike
 * `job.finished()`, a job that is removed or forgotten settles (as undefined) and leaves no
 * timer behind.
 */
export class JobOutcomes<TResult> {
  private readonly waiters = new Map<string, Waiter<TResult>>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly queue: Bull.Queue,
    private readonly pollMs = 500,
  ) {
    queue.on('global:completed', (jobId: string | number, result: string) => this.settle(String(jobId), () => parse<TResult>(result)));
    queue.on('global:failed', (jobId: string | number, reason: string) => this.fail(String(jobId), reason));
  }

  /** The job's return value once it completes; undefined if it disappears; rejects if it fails for good. */
  wait(jobId: string): Promise<TResult | undefined> {
    return new Promise<TResult | undefined>((resolve, reject) => {
      this.waiters.set(jobId, { resolve, reject });
      this.timer ??= setInterval(() => void this.poll(), this.pollMs);
    });
  }

  /** Stops waiting for a job (e.g. after removing it): its `wait` resolves undefined. */
  forget(jobId: string): void {
    this.settle(jobId, () => undefined);
  }

  private settle(jobId: string, result: () => TResult | undefined): void {
    const waiter = this.waiters.get(jobId);
    if (!waiter) return;
    this.waiters.delete(jobId);
    this.idle();
    waiter.resolve(result());
  }

  private fail(jobId: string, reason: string): void {
    const waiter = this.waiters.get(jobId);
    if (!waiter) return;
    this.waiters.delete(jobId);
    this.idle();
    waiter.reject(new Error(reason));
  }

  private idle(): void {
    if (this.waiters.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private async poll(): Promise<void> {
    for (const jobId of [...this.waiters.keys()]) {
      const job = await this.queue.getJob(jobId).catch(() => undefined);
      if (job === undefined) continue;
      if (job === null) this.forget(jobId);
      else if (await job.isCompleted()) this.settle(jobId, () => job.returnvalue as TResult);
      else if (await job.isFailed()) this.fail(jobId, job.failedReason ?? 'failed');
    }
  }
}

function parse<TResult>(value: string): TResult | undefined {
  try {
    return JSON.parse(value) as TResult;
  } catch {
    return undefined;
  }
}
