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
 * Balances: a transfer is admitted only if the sender's committed balance covers it on top of
 * all the sender's pooled transfers. Pooled incoming transfers are not counted (they may never
 * commit), so a transfer funded only by an uncommitted one is refused and must be resubmitted.
 * Standing is likewise that of the committed state. Governance transactions are checked for
 * their sender only: whether their change applies (MEMBER_EXISTS, BAD_MEMBER_STATUS...) and
 * what a suspension does to other transactions of the same block is left to block building,
 * whose rejections the proposer reports back through `remove`.
 *
 * After a block (`onBlockCommitted`), included transactions leave, and the senders the block
 * may have affected are refreshed from the new state: the block's senders and governance
 * subjects when the caller passes the block's transactions (O(block)), otherwise every pooled
 * sender (O(senders)); refreshing a sender costs O(1) unless its account or standing changed.
 * Pooled records whose key the block wrote are dropped. A transfer's recipient only gains, so
 * its cached balance is re-read lazily, when a transfer of its own would otherwise be refused.
 */
import { ChainErrorCode, isGovernanceType, toHex, type ChainRules, type StateReader, type Transaction } from '#chain';
import { checkChainRules, recordKeyOf, spendOf, type RuleViolation } from './admission-rules.js';
import { MempoolErrorCode, type MempoolRejectionCode } from './codes.js';
import { resolveMempoolConfig, type MempoolConfig } from './config.js';
import { MempoolCounters } from './counters.js';
import { PoolStore } from './pool-store.js';
import { dropWrittenRecords, refreshSender, touchedBy, type Drop } from './revalidation.js';
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
 *
 * The pool reads `state` but never writes it, and caches each pooled sender's next nonce and
 * balance: after the state moves to a new block, call `onBlockCommitted` before anything else.
 */
export class Mempool {
  /** The resolved configuration. */
  readonly config: MempoolConfig;
  private readonly store = new PoolStore();
  private readonly counters = new MempoolCounters();
  // Latest time seen, and the first: entries admitted before any time was seen count as
  // admitted at the first one, so they do not look infinitely old.
  private lastNowMs: number | undefined;
  private firstNowMs: number | undefined;

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
   * omitted, the latest time the pool has seen (through `add` or `expireQueued`) is used, or,
   * before any, the first time it will see. Never throws for a bad transaction:
   * refusals are results with a code. O(log n) plus, when it closes a gap, the promotions.
   */
  add(tx: Transaction, source: TxSource, nowMs?: number): AdmissionResult {
    if (nowMs !== undefined) this.observe(nowMs);
    const hashHex = tx.hashHex;
    if (this.store.byHash.has(hashHex)) {
      return this.reject(hashHex, { code: MempoolErrorCode.TX_DUPLICATE, message: 'transaction is already pooled' }, { existing: true });
    }
    const senderKeyHex = toHex(tx.body.sender);
    // A new sender's queue is only registered once its first transaction is admitted.
    const sender = this.store.senders.get(senderKeyHex) ?? this.newSender(senderKeyHex, tx);
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
    if (recordKey !== undefined && this.store.pendingRecords.has(recordKey)) {
      return this.reject(hashHex, { code: MempoolErrorCode.RECORD_KEY_PENDING, message: `a pooled transaction already writes record ${recordKey}` });
    }
    const spend = spendOf(tx);
    if (sender.pendingSpend + spend > sender.balance) this.raiseBalance(sender);
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
    if (!this.fits(sizeBytes)) {
      const ready = nonce === sender.nextReadyNonce;
      if (!ready || !this.canEvictFor(sizeBytes)) {
        return this.reject(
          hashHex,
          { code: MempoolErrorCode.MEMPOOL_FULL, message: `mempool is full (${this.store.size} transactions, ${this.store.totalBytes} bytes)` },
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
    this.store.insert(sender, entry);
    this.counters.admitted(source);
    const status = sender.isReady(entry) ? 'ready' : 'queued';
    return evicted ? { accepted: true, hashHex, status, evicted } : { accepted: true, hashHex, status };
  }

  /** Whether a transaction with this hash is pooled. */
  has(hashHex: string): boolean {
    return this.store.byHash.has(hashHex);
  }

  /** The pooled transaction with this hash. */
  get(hashHex: string): Transaction | undefined {
    return this.store.byHash.get(hashHex)?.tx;
  }

  /** Whether a pooled transaction is ready (executable in the next block) or queued behind a gap. */
  statusOf(hashHex: string): 'ready' | 'queued' | undefined {
    const entry = this.store.byHash.get(hashHex);
    if (!entry) return undefined;
    return this.store.senderOf(entry).isReady(entry) ? 'ready' : 'queued';
  }

  /**
   * Whether this node verified `tx`'s signature at admission: true for every pooled
   * transaction, since `add` only takes verified ones. Block validation passes this as
   * `isVerified` so a signature is verified once per node.
   */
  isVerified(tx: Transaction): boolean {
    return this.store.byHash.has(tx.hashHex);
  }

  /**
   * The nonce a sender should use next: its account's next nonce, past its ready pooled
   * transactions; undefined when the sender has nothing pooled (then it is the account nonce).
   */
  nextNonce(senderKeyHex: string): bigint | undefined {
    return this.store.senders.get(senderKeyHex)?.nextReadyNonce;
  }

  /**
   * Executable transactions for the next block, at most `maxTxs`: nonce order per sender,
   * round-robin across senders. Never returns a queued (gapped) transaction. Removes nothing.
   * O(returned + senders visited).
   */
  selectForBlock(maxTxs: number): Transaction[] {
    return selectRoundRobin(this.store.readySenders, maxTxs);
  }

  /**
   * To call after a block committed and the state given to the constructor reflects it.
   * Removes the included transactions; refreshes the affected senders from the state: promotes
   * queued transactions whose gap closed, drops replayed nonces (NONCE_REPLAY: the block used
   * the nonce for another transaction), transfers no longer affordable (INSUFFICIENT_BALANCE)
   * and transactions of senders no longer active (MEMBER_SUSPENDED, NOT_A_MEMBER); drops
   * records whose key the block wrote (RECORD_EXISTS). Returns what was dropped so callers can
   * report it. Pass the block's transactions as `committedTxs` when at hand: only what they
   * touched is then re-validated, instead of every pooled sender.
   */
  onBlockCommitted(includedHashes: readonly string[], committedTxs?: readonly Transaction[]): { dropped: DroppedTx[] } {
    const served = new Set<SenderQueue>();
    const stale = new Set<SenderQueue>();
    const pooled = new Set<Transaction>();
    for (const hashHex of includedHashes) {
      const entry = this.store.byHash.get(hashHex);
      if (!entry) continue;
      const sender = this.store.senderOf(entry);
      served.add(sender);
      pooled.add(entry.tx);
      this.store.withSender(sender, () => {
        if (!sender.removeCommitted(entry)) stale.add(sender);
        this.store.forget(entry);
      });
      this.counters.committed++;
    }
    const touched = committedTxs ? touchedBy(this.store, committedTxs, pooled) : undefined;
    const recordKeys = touched ? touched.recordKeys : [...this.store.pendingRecords.keys()];
    const drops: Drop[] = dropWrittenRecords(this.store, this.state, recordKeys);
    const senders = touched ? new Set([...served, ...touched.senders]) : [...this.store.senders.values()];
    for (const sender of senders) {
      // A queue emptied above is no longer registered; nothing is left to refresh.
      if (this.store.senders.get(sender.keyHex) !== sender) continue;
      drops.push(...refreshSender(this.store, this.state, sender, stale.has(sender)));
    }
    for (const sender of served) this.store.rotate(sender);
    return { dropped: drops.map((drop) => this.noteDrop(drop.entry, drop.code)) };
  }

  /** Removes transactions a proposer found invalid, counting them under `code`. */
  remove(hashHexes: readonly string[], code: string): void {
    for (const hashHex of hashHexes) {
      const entry = this.store.byHash.get(hashHex);
      if (!entry) continue;
      this.store.delete(entry);
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
    for (const entry of this.store.byHash.values()) {
      if ((entry.admittedAtMs ?? this.firstNowMs ?? nowMs) > cutoffMs) break;
      if (!this.store.senderOf(entry).isReady(entry)) expired.push(entry);
    }
    for (const entry of expired) this.store.delete(entry);
    return { dropped: expired.map((entry) => this.noteDrop(entry, MempoolErrorCode.QUEUED_EXPIRED)) };
  }

  /** Pooled transactions. */
  size(): number {
    return this.store.size;
  }

  /** Summed encoded size of the pooled transactions. */
  bytes(): number {
    return this.store.totalBytes;
  }

  /** Pooled transactions executable now. */
  readyCount(): number {
    return this.store.readyTxs;
  }

  /** Pooled transactions waiting behind a nonce gap. */
  queuedCount(): number {
    return this.store.size - this.store.readyTxs;
  }

  /**
   * Whether producers should hold back (REST answers 429, the Kafka consumer pauses): the pool
   * is filled to `pressureRatio` of its transaction or byte bound.
   */
  isUnderPressure(): boolean {
    const ratio = this.config.pressureRatio;
    return this.store.size >= this.config.maxTxs * ratio || this.store.totalBytes >= this.config.maxBytes * ratio;
  }

  /** Counts by status and counters by source and code, for metrics. */
  stats(): MempoolStats {
    return {
      size: this.store.size,
      bytes: this.store.totalBytes,
      ready: this.store.readyTxs,
      queued: this.queuedCount(),
      senders: this.store.senders.size,
      underPressure: this.isUnderPressure(),
      admittedBySource: { ...this.counters.admittedBySource },
      rejectedByCode: { ...this.counters.rejectedByCode },
      droppedByCode: { ...this.counters.droppedByCode },
      committed: this.counters.committed,
    };
  }

  private observe(nowMs: number): void {
    this.firstNowMs ??= nowMs;
    if (this.lastNowMs === undefined || nowMs > this.lastNowMs) this.lastNowMs = nowMs;
  }

  private reject(hashHex: string, violation: RuleViolation, extra: { retryAfterMs?: number; existing?: boolean } = {}): AdmissionRejected {
    this.counters.rejected(violation.code);
    return { accepted: false, hashHex, code: violation.code, message: violation.message, ...extra };
  }

  private noteDrop(entry: PoolEntry, code: MempoolRejectionCode): DroppedTx {
    this.counters.dropped(code);
    return { tx: entry.tx, code };
  }

  private newSender(senderKeyHex: string, tx: Transaction): SenderQueue {
    const address = tx.senderAddress;
    const addressHex = toHex(address);
    const account = this.state.account(addressHex) ?? EMPTY_ACCOUNT;
    return new SenderQueue(senderKeyHex, address, addressHex, account.nonce, account.balance);
  }

  /**
   * Re-reads a pooled sender's balance before refusing it for lack of funds: blocks refresh the
   * senders they touch, but not the recipients of their transfers, whose balances only grow.
   */
  private raiseBalance(sender: SenderQueue): void {
    const balance = this.state.account(sender.addressHex)?.balance ?? 0n;
    if (balance > sender.balance) sender.balance = balance;
  }

  private fits(extraBytes: number): boolean {
    return this.store.size + 1 <= this.config.maxTxs && this.store.totalBytes + extraBytes <= this.config.maxBytes;
  }

  /** Whether evicting every queued transaction would make room: ready ones are never evicted. */
  private canEvictFor(sizeBytes: number): boolean {
    return this.store.readyTxs + 1 <= this.config.maxTxs && this.store.readyBytes + sizeBytes <= this.config.maxBytes;
  }

  private evictFor(sizeBytes: number): Transaction[] {
    const evicted: Transaction[] = [];
    while (!this.fits(sizeBytes)) {
      const sender = this.store.queuedIndex.top();
      if (!sender) throw new Error('mempool invariant broken: nothing queued to evict');
      const victim = sender.entries[sender.entries.length - 1];
      this.store.delete(victim);
      this.counters.dropped(MempoolErrorCode.MEMPOOL_EVICTED);
      evicted.push(victim.tx);
    }
    return evicted;
  }
}
