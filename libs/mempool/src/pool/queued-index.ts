/**
 * Finds the item with the highest count in O(1) amortised, with counts changing by any amount:
 * buckets of items per count plus the highest non-empty count. Among items with the same count
 * the one that reached it first wins, so the choice is deterministic.
 */
export class MaxCountIndex<T> {
  private readonly buckets = new Map<number, Set<T>>();
  private highest = 0;

  /** Records that `item`'s count went from `from` to `to` (0 = not indexed). */
  update(item: T, from: number, to: number): void {
    if (from === to) return;
    if (from > 0) {
      const bucket = this.buckets.get(from);
      bucket?.delete(item);
      if (bucket?.size === 0) this.buckets.delete(from);
    }
    if (to > 0) {
      let bucket = this.buckets.get(to);
      if (!bucket) {
        bucket = new Set();
        this.buckets.set(to, bucket);
      }
      bucket.add(item);
      if (to > this.highest) this.highest = to;
    }
    // Counts are bounded by the per-sender limit, so this walk is short.
    while (this.highest > 0 && !this.buckets.has(this.highest)) this.highest--;
  }

  /** The item with the highest count, or undefined when every count is 0. */
  top(): T | undefined {
    const bucket = this.buckets.get(this.highest);
    if (!bucket) return undefined;
    return bucket.values().next().value;
  }
}
