import { describe, expect, it } from 'vitest';
import { WriteLock } from './write-lock.js';

describe('WriteLock', () => {
  it('runs work one at a time in arrival order, and is re-entrant', async () => {
    const lock = new WriteLock();
    const events: string[] = [];
    const step = (name: string, inner?: () => Promise<void>) =>
      lock.run(async () => {
        events.push(`${name}:start`);
        await new Promise((resolve) => setImmediate(resolve));
        if (inner) await inner();
        events.push(`${name}:end`);
      });
    await Promise.all([step('a', () => step('a-inner')), step('b')]);
    expect(events).toEqual(['a:start', 'a-inner:start', 'a-inner:end', 'a:end', 'b:start', 'b:end']);
  });

  it('keeps going after a failed holder', async () => {
    const lock = new WriteLock();
    await expect(lock.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.run(() => Promise.resolve(7))).resolves.toBe(7);
  });
});
