/**
 * Serialises everything that extends the ledger: the consensus engine applying committed
 * blocks and block sync committing fetched ones. Each holder re-checks the head under the lock,
 * so a height committed by one path is skipped by the other.
 */
export class CommitLock {
  private tail: Promise<void> = Promise.resolve();

  /** Runs `task` once every earlier task settled; its result or error is passed through. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
