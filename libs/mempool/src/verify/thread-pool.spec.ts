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
