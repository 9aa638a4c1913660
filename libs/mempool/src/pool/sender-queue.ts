import type { PoolEntry } from './types.js';

/**
 * One sender's pooled transactions, ordered by nonce. The first `readyLength` entries are the
 * contiguous run starting at the account's next nonce (`baseNonce`): executable in order. The
 * rest are `queued` behind a nonce gap. `pendingSpend` is the sum of the pooled transfers, kept
 * at or below `balance` so that every ready prefix stays affordable.
 */
export class SenderQueue {
  /** Sorted by nonce, all ≥ `baseNonce`, no two with the same nonce. */
  readonly entries: PoolEntry[] = [];
  readyLength = 0;
  readyBytes = 0;
  totalBytes = 0;
  pendingSpend = 0n;
  /** Entries that are not governance types, so need an active membership. */
  memberTxCount = 0;

  constructor(
    /** Lowercase hex of the sender's public key. */
    readonly keyHex: string,
    /** The sender's 20-byte address. */
    readonly address: Uint8Array,
    /** Lowercase hex of the sender's address. */
    readonly addressHex: string,
    /** The account's next nonce as of the last refresh from state. */
    public baseNonce: bigint,
    /** The account's balance as of the last refresh from state. */
    public balance: bigint,
  ) {}

  get size(): number {
    return this.entries.length;
  }

  get queuedCount(): number {
    return this.entries.length - this.readyLength;
  }

  /** The nonce a transaction needs to become ready right now. */
  get nextReadyNonce(): bigint {
    return this.baseNonce + BigInt(this.readyLength);
  }

  /** Index of the first entry whose nonce is ≥ `nonce` (binary search). */
  lowerBound(nonce: bigint): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.entries[middle].nonce < nonce) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The pooled entry with this nonce. */
  atNonce(nonce: bigint): PoolEntry | undefined {
    const entry = this.entries[this.lowerBound(nonce)];
    return entry?.nonce === nonce ? entry : undefined;
  }

  /** Whether this entry is in the ready prefix. */
  isReady(entry: PoolEntry): boolean {
    return this.lowerBound(entry.nonce) < this.readyLength;
  }

  /** Inserts an entry whose nonce is not pooled yet; extends the ready run if it closes a gap. */
  insert(entry: PoolEntry): void {
    const index = this.lowerBound(entry.nonce);
    if (index === this.entries.length) this.entries.push(entry);
    else this.entries.splice(index, 0, entry);
    this.totalBytes += entry.sizeBytes;
    this.pendingSpend += entry.spend;
    if (!entry.governance) this.memberTxCount++;
    if (index === this.readyLength) this.extendReady();
  }

  /** Removes an entry; the entries after it, if they were ready, fall behind the new gap. */
  remove(entry: PoolEntry): boolean {
    const index = this.lowerBound(entry.nonce);
    if (this.entries[index] !== entry) return false;
    if (index < this.readyLength) this.truncateReady(index);
    if (index === this.entries.length - 1) this.entries.pop();
    else this.entries.splice(index, 1);
    this.totalBytes -= entry.sizeBytes;
    this.pendingSpend -= entry.spend;
    if (!entry.governance) this.memberTxCount--;
    return true;
  }

  /**
   * Removes a committed entry. The usual case, the first ready entry, just advances the base
   * nonce (the block used it) and keeps the rest ready: O(1) bookkeeping. Anything else falls
   * back to `remove`; returns false then, as readiness must be recomputed against the state.
   */
  removeCommitted(entry: PoolEntry): boolean {
    if (this.readyLength > 0 && this.entries[0] === entry) {
      this.entries.shift();
      this.readyLength--;
      this.readyBytes -= entry.sizeBytes;
      this.totalBytes -= entry.sizeBytes;
      this.pendingSpend -= entry.spend;
      if (!entry.governance) this.memberTxCount--;
      this.baseNonce++;
      return true;
    }
    this.remove(entry);
    return false;
  }

  /** Recomputes the ready run from scratch (after `baseNonce` changed or entries were removed). */
  recomputeReady(): void {
    this.truncateReady(0);
    this.extendReady();
  }

  /** The entries that can no longer commit under the current base nonce (nonce below it). */
  replayed(): PoolEntry[] {
    return this.entries.slice(0, this.lowerBound(this.baseNonce));
  }

  /**
   * The entries to drop so that the pooled transfers fit the balance: walking in nonce order,
   * every transfer that would overdraw the balance after the ones kept before it.
   */
  unaffordable(): PoolEntry[] {
    if (this.pendingSpend <= this.balance) return [];
    const out: PoolEntry[] = [];
    let spent = 0n;
    for (const entry of this.entries) {
      if (spent + entry.spend > this.balance) out.push(entry);
      else spent += entry.spend;
    }
    return out;
  }

  private extendReady(): void {
    let expected = this.baseNonce + BigInt(this.readyLength);
    while (this.readyLength < this.entries.length && this.entries[this.readyLength].nonce === expected) {
      this.readyBytes += this.entries[this.readyLength].sizeBytes;
      this.readyLength++;
      expected++;
    }
  }

  private truncateReady(length: number): void {
    for (let i = length; i < this.readyLength; i++) this.readyBytes -= this.entries[i].sizeBytes;
    this.readyLength = Math.min(this.readyLength, length);
  }
}
