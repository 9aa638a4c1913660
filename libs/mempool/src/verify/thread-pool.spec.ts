import { afterEach, describe, expect, it } from 'vitest';
import { ThreadPool } from './thread-pool.js';

const FIXTURE = new URL('../../../../test/workers/fixtures/echo-or-die-thread.ts', import.meta.url).href;

describe('ThreadPool', () => {
  let pool: ThreadPool<string> | undefined;

  afterEach(async () => {
    await pool?.close();
  });

  it('runs tasks on its threads and queues those beyond its size', async () => {
    pool = new ThreadPool<string>(FIXTURE, 2);
    const replies = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((message) => pool!.run(message)));
    expect(replies).toEqual(['echo:a', 'echo:b', 'echo:c', 'echo:d', 'echo:e']);
  });

  it('keeps a thread working through its tasks while the calling thread is busy', async () => {
    pool = new ThreadPool<string>(FIXTURE, 1);
    await pool.run('warm-up');
    const replies = Promise.all(['clock', 'clock', 'clock'].map((message) => pool!.run(message)));
    // Block this thread: a pool that hands out the next task only when it reads an answer
    // would get one task done meanwhile, not three.
    const blockedUntil = Date.now() + 300;
    while (Date.now() < blockedUntil) {
      // busy
    }
    const handledAt = (await replies).map((reply) => Number(reply.slice('clock:'.length)));
    for (const at of handledAt) expect(at).toBeLessThan(blockedUntil);
  });

  it('fails only the task of a thread that dies, replaces the thread and keeps serving', async () => {
    pool = new ThreadPool<string>(FIXTURE, 1);
    await expect(pool.run('exit')).rejects.toMatchObject({ code: 'WORKER_FAILED' });
    await expect(pool.run('throw')).rejects.toMatchObject({ code: 'WORKER_FAILED' });
    expect(await pool.run('after')).toBe('echo:after');
  });

  it('rejects queued and new tasks once closed', async () => {
    pool = new ThreadPool<string>(FIXTURE, 1);
    const outcomes = Promise.allSettled([pool.run('first'), pool.run('queued')]);
    await pool.close();
    const [first, queued] = await outcomes;
    expect(first).toMatchObject({ status: 'rejected', reason: { code: 'POOL_CLOSED' } });
    expect(queued).toMatchObject({ status: 'rejected', reason: { code: 'POOL_CLOSED' } });
    await expect(pool.run('late')).rejects.toMatchObject({ code: 'POOL_CLOSED' });
  });
});
