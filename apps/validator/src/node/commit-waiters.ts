import type { CommittedBlockEvent, RejectionEvent } from '#consensus';

/** The final outcome a waiting client learns. */
export type FinalOutcome = { status: 'committed'; height: number; position: number } | { status: 'rejected'; code: string; message: string };

/**
 * Lets REST callers wait (bounded) for their transactions to commit: resolved from the
 * pipeline's commit and rejection events, so waiting costs no polling.
 */
export class CommitWaiters {
  private readonly waiting = new Map<string, Array<(outcome: FinalOutcome | undefined) => void>>();

  /** Resolves with the outcome, or undefined after `timeoutMs`. */
  wait(hashHex: string, timeoutMs: number): Promise<FinalOutcome | undefined> {
    return new Promise((resolve) => {
      const list = this.waiting.get(hashHex) ?? [];
      const timer = setTimeout(() => {
        const remaining = (this.waiting.get(hashHex) ?? []).filter((r) => r !== done);
        if (remaining.length) this.waiting.set(hashHex, remaining);
        else this.waiting.delete(hashHex);
        resolve(undefined);
      }, timeoutMs);
      const done = (outcome: FinalOutcome | undefined): void => {
        clearTimeout(timer);
        resolve(outcome);
      };
      list.push(done);
      this.waiting.set(hashHex, list);
    });
  }

  /** Pipeline listener: a block committed. */
  onCommitted(event: CommittedBlockEvent): void {
    if (this.waiting.size === 0) return;
    const height = Number(event.block.header.height);
    event.block.txs.forEach((tx, position) => this.settle(tx.hashHex, { status: 'committed', height, position }));
  }

  /** Pipeline listener: transactions were dropped for good. */
  onRejected(events: RejectionEvent[]): void {
    for (const event of events) this.settle(event.hashHex, { status: 'rejected', code: event.code, message: event.message });
  }

  /** Releases every waiter (shutdown). */
  releaseAll(): void {
    for (const list of this.waiting.values()) for (const resolve of list) resolve(undefined);
    this.waiting.clear();
  }

  private settle(hashHex: string, outcome: FinalOutcome): void {
    const list = this.waiting.get(hashHex);
    if (!list) return;
    this.waiting.delete(hashHex);
    for (const resolve of list) resolve(outcome);
  }
}
