import { MaxCountIndex } from './queued-index.js';
import type { SenderQueue } from './sender-queue.js';
import type { PoolEntry } from './types.js';

/**
 * The pool's indexes and totals, kept consistent with the sender queues: by hash (in admission
 * order), by sender key, senders with ready transactions (in round-robin order),
 * senders by queued count (for eviction), and pending record keys. Every change to a sender
 * queue goes through `withSender`, which folds the change into the totals and indexes.
 */
export class PoolStore {
  /** Insertion order is admission order, which queued-age expiry relies on. */
  readonly byHash = new Map<string, PoolEntry>();
  /** Non-empty sender queues by public key hex. */
  readonly senders = new Map<string, SenderQueue>();
  /** Senders with at least one ready transaction; senders served by a block move to the back. */
  readonly readySenders = new Set<SenderQueue>();
  readonly queuedIndex = new MaxCountIndex<SenderQueue>();
  /** Record key → the pooled transaction writing it. */
  readonly pendingRecords = new Map<string, PoolEntry>();
  totalBytes = 0;
  readyTxs = 0;
  readyBytes = 0;

  get size(): number {
    return this.byHash.size;
  }

  /** The queue holding a pooled entry. */
  senderOf(entry: PoolEntry): SenderQueue {
    const sender = this.senders.get(entry.senderKeyHex);
    if (!sender) throw new Error(`mempool invariant broken: no queue for pooled transaction ${entry.hashHex}`);
    return sender;
  }

  /** Adds an admitted entry to its sender's queue (registering the queue if new) and the indexes. */
  insert(sender: SenderQueue, entry: PoolEntry): void {
    if (!this.senders.has(sender.keyHex)) this.senders.set(sender.keyHex, sender);
    this.withSender(sender, () => sender.insert(entry));
    this.byHash.set(entry.hashHex, entry);
    if (entry.recordKey !== undefined) this.pendingRecords.set(entry.recordKey, entry);
  }

  /** Removes one entry from its sender's queue and from every index. */
  delete(entry: PoolEntry): void {
    const sender = this.senderOf(entry);
    this.withSender(sender, () => this.unlink(sender, entry));
  }

  /** Inside `withSender`: removes an entry from its queue and the pool-wide indexes. */
  unlink(sender: SenderQueue, entry: PoolEntry): void {
    sender.remove(entry);
    this.forget(entry);
  }

  /** Inside `withSender`: removes an entry from the pool-wide indexes only (the caller handled the queue). */
  forget(entry: PoolEntry): void {
    this.byHash.delete(entry.hashHex);
    if (entry.recordKey !== undefined && this.pendingRecords.get(entry.recordKey) === entry) this.pendingRecords.delete(entry.recordKey);
  }

  /**
   * Runs a mutation of one sender's queue and folds its effect into the totals and indexes.
   * Mutations must not nest: the deltas are taken around the whole mutation.
   */
  withSender(sender: SenderQueue, mutate: () => void): void {
    const readyBefore = sender.readyLength;
    const readyBytesBefore = sender.readyBytes;
    const queuedBefore = sender.queuedCount;
    const bytesBefore = sender.totalBytes;
    mutate();
    this.readyTxs += sender.readyLength - readyBefore;
    this.readyBytes += sender.readyBytes - readyBytesBefore;
    this.totalBytes += sender.totalBytes - bytesBefore;
    this.queuedIndex.update(sender, queuedBefore, sender.queuedCount);
    if (sender.readyLength === 0) this.readySenders.delete(sender);
    else if (!this.readySenders.has(sender)) this.readySenders.add(sender);
    if (sender.size === 0) this.senders.delete(sender.keyHex);
  }

  /** Moves a sender to the back of the round-robin order (after a block served it). */
  rotate(sender: SenderQueue): void {
    if (this.readySenders.delete(sender)) this.readySenders.add(sender);
  }
}
