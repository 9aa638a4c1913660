interface Sample {
  atMs: number;
  blocks: number;
  txs: number;
}

/** Blocks and transactions per second over a sliding window. Pure: time is passed in. */
export class RateMeter {
  private samples: Sample[] = [];

  constructor(private readonly windowMs = 5000) {}

  record(nowMs: number, blocks: number, txs: number): void {
    this.samples.push({ atMs: nowMs, blocks, txs });
    this.prune(nowMs);
  }

  /** Rates over the samples in the window (0 with fewer than two). */
  perSecond(nowMs: number): { blocks: number; txs: number } {
    this.prune(nowMs);
    if (this.samples.length === 0) return { blocks: 0, txs: 0 };
    const spanMs = Math.max(nowMs - this.samples[0].atMs, 250);
    let blocks = 0;
    let txs = 0;
    for (const sample of this.samples) {
      blocks += sample.blocks;
      txs += sample.txs;
    }
    return { blocks: (blocks * 1000) / spanMs, txs: (txs * 1000) / spanMs };
  }

  private prune(nowMs: number): void {
    const oldest = nowMs - this.windowMs;
    let drop = 0;
    while (drop < this.samples.length && this.samples[drop].atMs < oldest) drop++;
    if (drop > 0) this.samples = this.samples.slice(drop);
  }
}
