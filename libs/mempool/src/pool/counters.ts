import type { TxSource } from './types.js';

/** Monotonic counters for metrics: admissions by source, refusals and drops by code. */
export class MempoolCounters {
  readonly admittedBySource: Record<TxSource, number> = { rest: 0, kafka: 0, peer: 0 };
  readonly rejectedByCode: Record<string, number> = {};
  readonly droppedByCode: Record<string, number> = {};
  committed = 0;

  admitted(source: TxSource): void {
    this.admittedBySource[source]++;
  }

  rejected(code: string): void {
    this.rejectedByCode[code] = (this.rejectedByCode[code] ?? 0) + 1;
  }

  dropped(code: string, count = 1): void {
    this.droppedByCode[code] = (this.droppedByCode[code] ?? 0) + count;
  }
}
