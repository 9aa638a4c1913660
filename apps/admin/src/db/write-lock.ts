import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Serialises every write of the process. SQLite has one connection, so two interleaved
 * transactions would silently nest; serialising also keeps the audit sequence gapless. The
 * lock is re-entrant within one async call chain, so a locked operation may call another.
 */
export class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly held = new AsyncLocalStorage<true>();

  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.held.getStore()) return work();
    const result = this.tail.then(() => this.held.run(true, work));
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Runs `work` in a transaction while holding the write lock. */
export function writeTransaction<T>(lock: WriteLock, dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return lock.run(() => dataSource.transaction(work));
}
