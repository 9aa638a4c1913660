import { AccordError, workerThreadSource } from '#common';
import { Worker } from 'node:worker_threads';

interface PendingTask<TOut> {
  message: unknown;
  /** Buffers whose memory moves to the thread with the message (unusable here afterwards). */
  transfer: readonly ArrayBuffer[];
  resolve(value: TOut): void;
  reject(error: Error): void;
}

interface PoolWorker<TOut> {
  worker: Worker;
  /** Tasks posted to this thread, oldest first: it answers them in order. */
  inFlight: Array<PendingTask<TOut>>;
}

// Tasks handed to one thread ahead of its answers. More than one, so that a thread never waits
// for the calling thread (busy executing or committing a block) to hand it its next task; few,
// so that a task still goes to whichever thread frees up first.
const DEFAULT_TASKS_PER_THREAD = 3;

/**
 * A fixed pool of worker threads running one module. Each thread is handed up to a few tasks
 * ahead (it queues them and answers in order); further tasks wait here for the least busy
 * thread. A thread that dies fails the tasks it held (code WORKER_FAILED) and is replaced.
 */
export class ThreadPool<TOut> {
  private readonly workers: Array<PoolWorker<TOut>> = [];
  private readonly queue: Array<PendingTask<TOut>> = [];
  private closed = false;

  /** `moduleUrl` handles each task message on `parentPort` and replies `{ result }` or `{ error }`. */
  constructor(
    private readonly moduleUrl: string,
    readonly size: number,
    private readonly tasksPerThread = DEFAULT_TASKS_PER_THREAD,
  ) {
    for (let i = 0; i < size; i++) this.workers.push(this.spawn());
  }

  private spawn(): PoolWorker<TOut> {
    const slot: PoolWorker<TOut> = { worker: new Worker(workerThreadSource(this.moduleUrl), { eval: true }), inFlight: [] };
    slot.worker.on('message', (reply: { result?: TOut; error?: string }) => {
      const task = slot.inFlight.shift();
      if (task) {
        if (reply.error !== undefined) task.reject(new AccordError('WORKER_FAILED', reply.error));
        else task.resolve(reply.result as TOut);
      }
      this.dispatch();
    });
    const fail = (error: Error) => {
      const index = this.workers.indexOf(slot);
      if (index < 0) return;
      for (const task of slot.inFlight.splice(0)) task.reject(new AccordError('WORKER_FAILED', `worker thread failed: ${error.message}`));
      if (this.closed) return;
      this.workers[index] = this.spawn();
      this.dispatch();
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    return slot;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let target: PoolWorker<TOut> | undefined;
      for (const slot of this.workers) if (slot.inFlight.length < this.tasksPerThread && (!target || slot.inFlight.length < target.inFlight.length)) target = slot;
      if (!target) return;
      const task = this.queue.shift() as PendingTask<TOut>;
      target.inFlight.push(task);
      target.worker.postMessage(task.message, [...task.transfer]);
    }
  }

  /** Runs one task on the least busy thread; `transfer` buffers move with it instead of being copied. */
  run(message: unknown, transfer: readonly ArrayBuffer[] = []): Promise<TOut> {
    if (this.closed) return Promise.reject(new AccordError('POOL_CLOSED', 'the worker pool is closed'));
    return new Promise<TOut>((resolve, reject) => {
      this.queue.push({ message, transfer, resolve, reject });
      this.dispatch();
    });
  }

  /** Terminates every thread; running and queued tasks fail with POOL_CLOSED. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new AccordError('POOL_CLOSED', 'the worker pool is closed'));
    const workers = this.workers.splice(0);
    for (const slot of workers) for (const task of slot.inFlight.splice(0)) task.reject(new AccordError('POOL_CLOSED', 'the worker pool closed during the task'));
    await Promise.all(workers.map((slot) => slot.worker.terminate()));
  }
}
