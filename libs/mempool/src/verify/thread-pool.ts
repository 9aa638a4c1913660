import { AccordError, workerThreadSource } from '#common';
import { Worker } from 'node:worker_threads';

interface PendingTask<TOut> {
  message: unknown;
  resolve(value: TOut): void;
  reject(error: Error): void;
}

interface PoolWorker<TOut> {
  worker: Worker;
  current?: PendingTask<TOut>;
}

/**
 * A fixed pool of worker threads running one module, one task per thread at a time. A thread
 * that dies fails its task (code WORKER_FAILED) and is replaced.
 */
export class ThreadPool<TOut> {
  private readonly workers: Array<PoolWorker<TOut>> = [];
  private readonly queue: Array<PendingTask<TOut>> = [];
  private closed = false;

  /** `moduleUrl` handles each task message on `parentPort` and replies `{ result }` or `{ error }`. */
  constructor(
    private readonly moduleUrl: string,
    readonly size: number,
  ) {
    for (let i = 0; i < size; i++) this.workers.push(this.spawn());
  }

  private spawn(): PoolWorker<TOut> {
    const slot: PoolWorker<TOut> = { worker: new Worker(workerThreadSource(this.moduleUrl), { eval: true }) };
    slot.worker.on('message', (reply: { result?: TOut; error?: string }) => {
      const task = slot.current;
      slot.current = undefined;
      if (task) {
        if (reply.error !== undefined) task.reject(new AccordError('WORKER_FAILED', reply.error));
        else task.resolve(reply.result as TOut);
      }
      this.dispatch();
    });
    const fail = (error: Error) => {
      const index = this.workers.indexOf(slot);
      if (index < 0) return;
      slot.current?.reject(new AccordError('WORKER_FAILED', `worker thread failed: ${error.message}`));
      slot.current = undefined;
      if (this.closed) return;
      this.workers[index] = this.spawn();
      this.dispatch();
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.workers) {
      if (this.queue.length === 0) return;
      if (slot.current) continue;
      slot.current = this.queue.shift();
      slot.worker.postMessage(slot.current?.message);
    }
  }

  /** Runs one task on the next free thread. */
  run(message: unknown): Promise<TOut> {
    if (this.closed) return Promise.reject(new AccordError('POOL_CLOSED', 'the worker pool is closed'));
    return new Promise<TOut>((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      this.dispatch();
    });
  }

  /** Terminates every thread; running and queued tasks fail with POOL_CLOSED. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new AccordError('POOL_CLOSED', 'the worker pool is closed'));
    const workers = this.workers.splice(0);
    for (const slot of workers) slot.current?.reject(new AccordError('POOL_CLOSED', 'the worker pool closed during the task'));
    await Promise.all(workers.map((slot) => slot.worker.terminate()));
  }
}
