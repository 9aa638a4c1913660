/*
 * The transaction pool
 * ====================
 * Holds admitted transactions until a block commits them. Pure: no I/O, no clock (times are
 * passed in), no framework; the Nest shells (REST, Kafka consumer, consensus leaders) call it.
 *
 * Admission (`add`) takes a transaction whose signature the caller has already verified and
 * checks, in order: duplicate hash (TX_DUPLICATE, `existing`), chain id, size, the sender's
 * standing (active member, or a governance key for governance types), transfer limit and
 * self-transfer, record key free in state and in the pool, nonce not replayed and inside the
 * window, no other pooled transaction with the same sender and nonce (NONCE_IN_USE: first come
 * wins, there are no fees to justify a replacement), the balance covering this transfer plus
 * all the sender's pooled transfers, then the per-sender and global bounds.
 *
 * Per sender, transactions are ordered by nonce. Those forming a contiguous run from the
 * account's next nonce are `ready`; the rest are `queued` behind a gap and become ready when the
 * gap fills, by admission or by a block committing the missing nonce.
 *
 * Eviction policy: when the pool is full (transactions or bytes), a new *ready* transaction may
 * evict queued (gapped) transactions: each time the one with the highest nonce of the sender
 * holding the most queued transactions, until the new one fits. Gapped transactions are the
 * least likely to commit soon. Ready transactions are never evicted. A new queued transaction
 * never evicts anything. When eviction cannot make room, the transaction is refused with
 * MEMPOOL_FULL and `retryAfterMs`. Queued transactions also expire by age (`expireQueued`).
 *
 * After a block (`onBlockCommitted`), included transactions leave, every sender is refreshed
 * from the new state (O(senders), O(its transactions) only for senders whose account or
 * standing changed) and pooled records whose key got written are dropped.
 */
import { ChainErrorCode, isGovernanceType, toHex, type ChainRules, type StateReader, type Transaction } from '#chain';
import { checkChainRules, checkMembership, recordKeyOf, spendOf, type RuleViolation } from './admission-rules.js';
import { MempoolErrorCode, type MempoolRejectionCode } from './codes.js';
import { resolveMempoolConfig, type MempoolConfig } from './config.js';
import { MempoolCounters } from './counters.js';
import { MaxCountIndex } from './queued-index.js';
import { selectRoundRobin } from './selection.js';
import { SenderQueue } from './sender-queue.js';
import type { AdmissionRejected, AdmissionResult, DroppedTx, PoolEntry, TxSource } from './types.js';

/** A snapshot of the pool for metrics and health endpoints. */
export interface MempoolStats {
  size: number;
  bytes: number;
  ready: number;
  queued: number;
  senders: number;
  underPressure: boolean;
  /** Transactions admitted since start, by where they came from. */
  admittedBySource: Readonly<Record<TxSource, number>>;
  /** Admission refusals since start, by code. */
  rejectedByCode: Readonly<Record<string, number>>;
  /** Pooled transactions dropped since start (re-validation, eviction, expiry, `remove`), by code. */
  droppedByCode: Readonly<Record<string, number>>;
  /** Pooled transactions that left because a block committed them. */
  committed: number;
}

const EMPTY_ACCOUNT = { balance: 0n, nonce: 0n } as const;

/**
 * The transaction pool. See the comment at the top of this file for the admission order and
 * the eviction policy: when full, a new ready transaction evicts the highest-nonce queued
 * transaction of the sender with the most queued transactions (repeatedly, until it fits);
 * ready transactions are never evicted; otherwise MEMPOOL_FULL with `retryAfterMs`.
 */
export class Mempool {
  /** The resolved configuration. */
  readonly config: MempoolConfig;
  // Insertion order is admission order, which `expireQueued` relies on.
  private readonly byHash = new Map<string, PoolEntry>();
  private readonly senders = new Map<string, SenderQueue>();
  // Round-robin priority: senders served by a block move to the back.
  private readonly readySenders = new Set<SenderQueue>();
  private readonly queuedIndex = new MaxCountIndex<SenderQueue>();
  private readonly pendingRecords = new Map<string, PoolEntry>();
  private readonly counters = new MempoolCounters();
  private totalBytes = 0;
  private readyTxs = 0;
  private readyBytes = 0;
  private lastNowMs = 0;

  constructor(
    config: Partial<MempoolConfig>,
    private readonly state: StateReader,
    private readonly rules: ChainRules,
  ) {
    this.config = resolveMempoolConfig(config);
  }

  /**
   * Admits a structurally valid transaction whose signature the caller has ALREADY verified
   * (verification is batched elsewhere). `nowMs` stamps its admission for `expireQueued`; when
   * omitted, the latest time the pool has seen is used. Never throws for a bad transaction:
   * refusals are results with a code.
   */
  add(tx: Transaction, source: TxSource, nowMs?: number): AdmissionResult {
    if (nowMs !== undefined) this.observe(nowMs);
    const hashHex = tx.hashHex;
    if (this.byHash.has(hashHex)) {
      return this.reject(hashHex, { code: MempoolErrorCode.TX_DUPLICATE, message: 'transaction is already pooled' }, { existing: true });
    }
    const senderKeyHex = toHex(tx.body.sender);
    // A new sender's queue is only registered once its first transaction is admitted.
    const sender = this.senders.get(senderKeyHex) ?? this.newSender(senderKeyHex, tx);
    const ruleViolation = checkChainRules(tx, sender, this.rules, this.state);
    if (ruleViolation) return this.reject(hashHex, ruleViolation);
    const nonce = tx.body.nonce;
    if (nonce < sender.baseNonce) {
      return this.reject(hashHex, { code: ChainErrorCode.NONCE_REPLAY, message: `nonce ${nonce} is below the account's next nonce ${sender.baseNonce}` });
    }
    if (nonce - sender.baseNonce > BigInt(this.config.maxNonceAheadOfState)) {
      return this.reject(hashHex, {
        code: MempoolErrorCode.NONCE_TOO_FAR,
        message: `nonce ${nonce} is more than ${this.config.maxNonceAheadOfState} beyond the account's next nonce ${sender.baseNonce}`,
      });
    }
    const occupant = sender.atNonce(nonce);
    if (occupant) {
      return this.reject(hashHex, { code: MempoolErrorCode.NONCE_IN_USE, message: `nonce ${nonce} is taken by pooled transaction ${occupant.hashHex}` });
    }
    const recordKey = recordKeyOf(tx);
    if (recordKey !== undefined && this.pendingRecords.has(recordKey)) {
      return this.reject(hashHex, { code: MempoolErrorCode.RECORD_KEY_PENDING, message: `a pooled transaction already writes record ${recordKey}` });
    }
    const spend = spendOf(tx);
    if (sender.pendingSpend + spend > sender.balance) {
      return this.reject(hashHex, {
        code: ChainErrorCode.INSUFFICIENT_BALANCE,
        message: `balance ${sender.balance} cannot cover ${spend} on top of ${sender.pendingSpend} already pooled`,
      });
    }
    if (sender.size >= this.config.maxPerSender) {
      return this.reject(
        hashHex,
        { code: MempoolErrorCode.SENDER_QUEUE_FULL, message: `sender already has ${sender.size} pooled transactions` },
        { retryAfterMs: this.config.retryAfterMs },
      );
    }
    const sizeBytes = tx.bytes.length;
    let evicted: Transaction[] | undefined;
    if (!this.fits(1, sizeBytes)) {
      const ready = nonce === sender.nextReadyNonce;
      if (!ready || !this.canEvictFor(sizeBytes)) {
        return this.reject(
          hashHex,
          { code: MempoolErrorCode.MEMPOOL_FULL, message: `mempool is full (${this.byHash.size} transactions, ${this.totalBytes} bytes)` },
          { retryAfterMs: this.config.retryAfterMs },
        );
      }
      evicted = this.evictFor(sizeBytes);
    }

    const entry: PoolEntry = {
      tx,
      hashHex,
      senderKeyHex,
      nonce,
      sizeBytes,
      spend,
      recordKey,
      governance: isGovernanceType(tx.body.payload.type),
      source,
      admittedAtMs: this.lastNowMs,
    };
    this.senders.set(senderKeyHex, sender);
    this.withSender(sender, () => sender.insert(entry));
    this.byHash.set(hashHex, entry);
    if (recordKey !== undefined) this.pendingRecords.set(recordKey, entry);
    this.counters.admitted(source);
    const status = sender.isReady(entry) ? 'ready' : 'queued';
    return evicted ? { accepted: true, hashHex, status, evicted } : { accepted: true, hashHex, status };
  }

  /** Whether a transaction with this hash is pooled. */
  has(hashHex: string): boolean {
    return this.byHash.has(hashHex);
  }

  /** The pooled transaction with this hash. */
  get(hashHex: string): Transaction | undefined {
    return this.byHash.get(hashHex)?.tx;
  }

  /** Whether `hashHex` is pooled and ready (executable in the next block). */
  statusOf(hashHex: string): 'ready' | 'queued' | undefined {
    const entry = this.byHash.get(hashHex);
    if (!entry) return undefined;
    return this.senders.get(entry.senderKeyHex)?.isReady(entry) ? 'ready' : 'queued';
  }

  /**
   * Whether this node verified `tx`'s signature at admission: true for every pooled
   * transaction, since `add` only takes verified ones. Block validation passes this as
   * `isVerified` so a signature is verified once per node.
   */
  isVerified(tx: Transaction): boolean {
    return this.byHash.has(tx.hashHex);
  }

  /**
   * The nonce a sender should use next: its account's next nonce, past its ready pooled
   * transactions. For clients that build transactions against the pool, not just the state.
   */
  nextNonce(senderKeyHex: string): bigint | undefined {
    return this.senders.get(senderKeyHex)?.nextReadyNonce;
  }

  /**
   * Executable transactions for the next block, at most `maxTxs`: nonce order per sender,
   * round-robin across senders. Never returns a queued (gapped) transaction. Removes nothing.
   */
  selectForBlock(maxTxs: number): Transaction[] {
    return selectRoundRobin(this.readySenders, maxTxs);
  }

  /**
   * To call after a block committed and the state given to the constructor reflects it.
   * Removes the included transactions; refreshes every sender from the state: promotes queued
   * transactions whose gap closed, drops replayed nonces (NONCE_REPLAY: the block used the
   * nonce for another transaction), transfers no longer affordable (INSUFFICIENT_BALANCE) and
   * transactions of senders no longer active (MEMBER_SUSPENDED, NOT_A_MEMBER); drops records
   * whose key the block wrote (RECORD_EXISTS). Returns what was dropped so callers can report it.
   */
  onBlockCommitted(includedHashes: readonly string[]): { dropped: DroppedTx[] } {
    const dropped: DroppedTx[] = [];
    const served = new Set<SenderQueue>();
    const stale = new Set<SenderQueue>();
    for (const hashHex of includedHashes) {
      const entry = this.byHash.get(hashHex);
      if (!entry) continue;
      const sender = this.senderOf(entry);
      served.add(sender);
      this.withSender(sender, () => {
        if (!sender.removeCommitted(entry)) stale.add(sender);
        this.forget(entry);
      });
      this.counters.committed++;
    }
    for (const [key, entry] of [...this.pendingRecords]) {
      if (!this.state.record(key)) continue;
      const sender = this.senderOf(entry);
      this.withSender(sender, () => this.unlink(sender, entry));
      this.noteDrop(dropped, entry, ChainErrorCode.RECORD_EXISTS);
    }
    for (const sender of [...this.senders.values()]) this.refresh(sender, stale.has(sender), dropped);
    for (const sender of served) {
      if (this.readySenders.delete(sender)) this.readySenders.add(sender);
    }
    return { dropped };
  }

  /** Removes transactions a proposer found invalid, counting them under `code`. */
  remove(hashHexes: readonly string[], code: string): void {
    for (const hashHex of hashHexes) {
      const entry = this.byHash.get(hashHex);
      if (!entry) continue;
      const sender = this.senderOf(entry);
      this.withSender(sender, () => this.unlink(sender, entry));
      this.counters.dropped(code);
    }
  }

  /**
   * Drops queued (gapped) transactions admitted at or before `nowMs - maxAgeMs`
   * (QUEUED_EXPIRED). Ready transactions never expire here: the next block takes them.
   * Cost: the transactions admitted before the cut-off.
   */
  expireQueued(nowMs: number, maxAgeMs: number): { dropped: DroppedTx[] } {
    this.observe(nowMs);
    const cutoffMs = nowMs - maxAgeMs;
    const expired: PoolEntry[] = [];
    for (const entry of this.byHash.values()) {
      if (entry.admittedAtMs > cutoffMs) break;
      if (!this.senderOf(entry).isReady(entry)) expired.push(entry);
    }
    const dropped: DroppedTx[] = [];
    for (const entry of expired) {
      const sender = this.senderOf(entry);
      this.withSender(sender, () => this.unlink(sender, entry));
      this.noteDrop(dropped, entry, MempoolErrorCode.QUEUED_EXPIRED);
    }
    return { dropped };
  }

  /** Pooled transactions. */
  size(): number {
    return this.byHash.size;
  }

  /** Summed encoded size of the pooled transactions. */
  bytes(): number {
    return this.totalBytes;
  }

  /** Pooled transactions executable now. */
  readyCount(): number {
    return this.readyTxs;
  }

  /** Pooled transactions waiting behind a nonce gap. */
  queuedCount(): number {
    return this.byHash.size - this.readyTxs;
  }

  /**
   * Whether producers should hold back (REST answers 429, the Kafka consumer pauses): the pool
   * is filled to `pressureRatio` of its transaction or byte bound.
   */
  isUnderPressure(): boolean {
    const ratio = this.config.pressureRatio;
    return this.byHash.size >= this.config.maxTxs * ratio || this.totalBytes >= this.config.maxBytes * ratio;
  }

  /** Counts by status and counters by source and code, for metrics. */
  stats(): MempoolStats {
    return {
      size: this.byHash.size,
      bytes: this.totalBytes,
      ready: this.readyTxs,
      queued: this.queuedCount(),
      senders: this.senders.size,
      underPressure: this.isUnderPressure(),
      admittedBySource: { ...this.counters.admittedBySource },
      rejectedByCode: { ...this.counters.rejectedByCode },
      droppedByCode: { ...this.counters.droppedByCode },
      committed: this.counters.committed,
    };
  }

  private observe(nowMs: number): void {
    if (nowMs > this.lastNowMs) this.lastNowMs = nowMs;
  }

  private reject(hashHex: string, violation: RuleViolation, extra: { retryAfterMs?: number; existing?: boolean } = {}): AdmissionRejected {
    this.counters.rejected(violation.code);
    return { accepted: false, hashHex, code: violation.code, message: violation.message, ...extra };
  }

  private newSender(senderKeyHex: string, tx: Transaction): SenderQueue {
    const address = tx.senderAddress;
    const addressHex = toHex(address);
    const account = this.state.account(addressHex) ?? EMPTY_ACCOUNT;
    return new SenderQueue(senderKeyHex, address, addressHex, account.nonce, account.balance);
  }

  private senderOf(entry: PoolEntry): SenderQueue {
    const sender = this.senders.get(entry.senderKeyHex);
    if (!sender) throw new Error(`mempool invariant broken: no queue for pooled transaction ${entry.hashHex}`);
    return sender;
  }

  private fits(extraTxs: number, extraBytes: number): boolean {
    return this.byHash.size + extraTxs <= this.config.maxTxs && this.totalBytes + extraBytes <= this.config.maxBytes;
  }

  private canEvictFor(sizeBytes: number): boolean {
    const readyTotal = this.readyTxs;
    return readyTotal + 1 <= this.config.maxTxs && this.readyBytes + sizeBytes <= this.config.maxBytes;
  }

  private evictFor(sizeBytes: number): Transaction[] {
    const evicted: Transaction[] = [];
    while (!this.fits(1, sizeBytes)) {
      const sender = this.queuedIndex.top();
      if (!sender) throw new Error('mempool invariant broken: nothing queued to evict');
      const victim = sender.entries[sender.entries.length - 1];
      this.withSender(sender, () => this.unlink(sender, victim));
      this.counters.dropped(MempoolErrorCode.MEMPOOL_EVICTED);
      evicted.push(victim.tx);
    }
    return evicted;
  }

  /** Re-reads the sender's account and standing; drops what can no longer commit. */
  private refresh(sender: SenderQueue, stale: boolean, dropped: DroppedTx[]): void {
    const account = this.state.account(sender.addressHex) ?? EMPTY_ACCOUNT;
    const standing = sender.memberTxCount > 0 ? checkMembership(sender.keyHex, this.state) : undefined;
    if (!stale && !standing && account.nonce === sender.baseNonce && account.balance >= sender.pendingSpend) {
      sender.balance = account.balance;
      return;
    }
    this.withSender(sender, () => {
      sender.baseNonce = account.nonce;
      sender.balance = account.balance;
      if (standing) {
        for (const entry of sender.entries.filter((e) => !e.governance)) this.dropFrom(sender, entry, standing.code, dropped);
      }
      for (const entry of sender.replayed()) this.dropFrom(sender, entry, ChainErrorCode.NONCE_REPLAY, dropped);
      for (const entry of sender.unaffordable()) this.dropFrom(sender, entry, ChainErrorCode.INSUFFICIENT_BALANCE, dropped);
      sender.recomputeReady();
    });
  }

  private dropFrom(sender: SenderQueue, entry: PoolEntry, code: MempoolRejectionCode, dropped: DroppedTx[]): void {
    this.unlink(sender, entry);
    this.noteDrop(dropped, entry, code);
  }

  private noteDrop(dropped: DroppedTx[], entry: PoolEntry, code: MempoolRejectionCode): void {
    dropped.push({ tx: entry.tx, code });
    this.counters.dropped(code);
  }

  /** Removes an entry from every index but the per-sender totals (see `withSender`). */
  private unlink(sender: SenderQueue, entry: PoolEntry): void {
    sender.remove(entry);
    this.forget(entry);
  }

  /** Removes an entry from the pool-wide indexes (its sender queue is handled by the caller). */
  private forget(entry: PoolEntry): void {
    this.byHash.delete(entry.hashHex);
    if (entry.recordKey !== undefined && this.pendingRecords.get(entry.recordKey) === entry) this.pendingRecords.delete(entry.recordKey);
  }

  /**
   * Runs a mutation of one sender's queue and folds its effect into the global totals and
   * indexes. Mutations must not nest: the deltas are taken around the whole mutation.
   */
  private withSender(sender: SenderQueue, mutate: () => void): void {
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
}
