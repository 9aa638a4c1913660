import { Kafka, logLevel, type Admin, type Consumer, type EachBatchPayload, type LogEntry, type Producer } from 'kafkajs';
import { deadLetterRecord, receiptRecord, refusalAction, type ConsumedRecord, type OutgoingRecord, type TxReceipt } from './ingress-records.js';
import { OffsetTracker, type MessageHandle, type PartitionOffset, type TopicPartition } from './offset-tracker.js';

/** The outcome of submitting one raw transaction (the validator's admission result). */
export type IngressSubmission =
  | { accepted: true; hashHex: string }
  | { accepted: false; hashHex?: string; code: string; message: string; retryAfterMs?: number };

/** What the ingress needs from its validator. */
export interface KafkaIngressHost {
  /** Admits raw signed transactions (source 'kafka'), one result per input, in order. */
  submit(rawTxs: Uint8Array[]): Promise<IngressSubmission[]>;
  /** True when the pool wants producers to slow down. */
  isUnderPressure(): boolean;
  /** Whether the transaction is in this node's pool. */
  isPooled(hashHex: string): boolean;
  /** The final outcome recorded in the ledger, if any. */
  outcome(hashHex: string): Promise<{ status: 'committed'; height: number; index: number } | { status: 'rejected'; code: string; message: string } | undefined>;
  /** Offsets stored with the ledger's blocks (where this node had consumed to). */
  storedOffsets(): Promise<PartitionOffset[]>;
}

/** Something that can log. */
export interface IngressLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Settings of the ingress. */
export interface KafkaIngressOptions {
  brokers: string[];
  clientId: string;
  /** Consumer group shared by the validators, so partitions spread across them. */
  groupId: string;
  txTopic: string;
  dlqTopic: string;
  receiptsTopic: string;
  /** Wait before resubmitting after back-pressure (at least the pool's retryAfterMs). */
  retryDelayMs?: number;
  /** How long a `NONCE_TOO_FAR` message is retried before it goes to the DLQ. */
  nonceWaitMs?: number;
  /** How often awaited transactions that left the pool are looked up in the ledger. */
  sweepIntervalMs?: number;
  /** Longest a fetch waits for new messages on the broker (kafkajs `maxWaitTimeInMs`). */
  fetchMaxWaitMs?: number;
  /** Batches of different partitions processed at once. */
  partitionsConsumedConcurrently?: number;
  logger?: IngressLogger;
  /** Called with the partitions of the transaction topic this member owns after each rebalance. */
  onAssigned?: (partitions: readonly number[]) => void;
  /** Called with the consumer lag (high watermark minus committable offset) of a partition. */
  onLag?: (tp: TopicPartition, lagMessages: number) => void;
}

const consoleLogger: IngressLogger = { info: (m) => console.log(m), warn: (m) => console.warn(m), error: (m) => console.error(m) };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const EMPTY = new Uint8Array(0);
const keyOf = (tp: TopicPartition): string => `${tp.topic}:${tp.partition}`;

interface Refused {
  handle: MessageHandle;
  record: ConsumedRecord;
  code: string;
  message: string;
  hashHex?: string;
}

/**
 * Kafka ingress of signed transactions with an exactly-once effect. Each batch is admitted in
 * one call; a message is "done" when its transaction committed (receipt sent), or it went to
 * the DLQ. Kafka offsets are committed only up to the lowest unfinished message, after the
 * block's SQL commit; the same offsets are stored with each block (`commitExtras`) and win on
 * reassignment when ahead (records below them are skipped). Redelivered messages are harmless: admission de-duplicates by hash.
 */
export class KafkaIngress {
  private readonly tracker = new OffsetTracker<ConsumedRecord>();
  private readonly kafka: Kafka;
  private consumer!: Consumer;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly logger: IngressLogger;
  /** Offsets stored in the ledger, kept current as blocks commit. */
  private readonly persisted = new Map<string, bigint>();
  private readonly highWatermarks = new Map<string, bigint>();
  private lastProvided: PartitionOffset[] = [];
  private assignment: Promise<void> = Promise.resolve();
  /** After-commit work (receipts, DLQ, offset commits), serialised. */
  private work: Promise<void> = Promise.resolve();
  private sweepTimer?: NodeJS.Timeout;
  private connected = false;
  private stopping = false;

  constructor(
    private readonly host: KafkaIngressHost,
    private readonly options: KafkaIngressOptions,
  ) {
    this.logger = options.logger ?? consoleLogger;
    const logger = this.logger;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.ERROR,
      logCreator: () => (entry: LogEntry) => logger.warn(`kafka ${entry.namespace}: ${entry.log.message}${entry.log.error ? ` (${String(entry.log.error)})` : ''}`),
    });
    this.producer = this.kafka.producer({ idempotent: false, allowAutoTopicCreation: false });
    this.admin = this.kafka.admin();
  }

  /** Connects, joins the group and starts consuming. */
  async start(): Promise<void> {
    for (const stored of await this.host.storedOffsets()) this.persisted.set(keyOf(stored), BigInt(stored.nextOffset));
    await Promise.all([this.producer.connect(), this.admin.connect()]);
    await this.runConsumer();
    this.sweepTimer = setInterval(() => this.enqueue(() => this.sweep()), this.options.sweepIntervalMs ?? 2_000);
    this.sweepTimer.unref();
    this.logger.info(`kafka ingress: topic ${this.options.txTopic}, group ${this.options.groupId}, brokers ${this.options.brokers.join(',')}`);
  }

  /**
   * Creates, connects and runs a consumer. kafkajs restarts a consumer after retriable errors
   * only; after any other crash this runs a fresh one, so a partition never stays unconsumed.
   */
  private async runConsumer(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: 10_000,
      rebalanceTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: this.options.fetchMaxWaitMs ?? 100,
    });
    this.consumer = consumer;
    const { CONNECT, DISCONNECT, CRASH, GROUP_JOIN } = consumer.events;
    consumer.on(CONNECT, () => (this.connected = true));
    consumer.on(DISCONNECT, () => (this.connected = false));
    consumer.on(CRASH, (event) => {
      this.connected = false;
      this.logger.error(`kafka consumer crashed: ${String(event.payload.error)}`);
      if (event.payload.restart || this.stopping) return;
      for (const tp of this.tracker.owned()) this.tracker.release(tp);
      this.options.onAssigned?.([]);
      setTimeout(() => {
        if (this.stopping) return;
        void consumer
          .disconnect()
          .catch(() => undefined)
          .then(() => this.runConsumer())
          .catch((error: unknown) => this.logger.error(`kafka consumer restart failed: ${String(error)}`));
      }, this.options.retryDelayMs ?? 1_000);
    });
    // Batches wait for the assignment's floors (set synchronously here).
    consumer.on(GROUP_JOIN, (event) => {
      this.connected = true;
      this.assignment = this.onAssignment(event.payload.memberAssignment).catch((error: unknown) => this.logger.error(`kafka assignment failed: ${String(error)}`));
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.txTopic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  /** Whether the consumer is connected to the cluster (for readiness). */
  isConnected(): boolean {
    return this.connected;
  }

  /**
   * The offsets to store with the block about to commit: every owned partition's committable
   * offset. Receipts are sent after the commit, so these lag by the block's own messages: after
   * a crash those are redelivered and answered from the ledger (receipts are keyed by tx hash).
   */
  commitExtras(): { kafkaOffsets: PartitionOffset[] } | undefined {
    const offsets = this.tracker.committable();
    this.lastProvided = offsets;
    return offsets.length ? { kafkaOffsets: offsets } : undefined;
  }

  /** A block committed (after its SQL commit): finish the messages awaiting its transactions. */
  onBlockCommitted(height: number, txHashes: readonly string[]): void {
    for (const offset of this.lastProvided) {
      const key = keyOf(offset);
      const value = BigInt(offset.nextOffset);
      if ((this.persisted.get(key) ?? -1n) < value) this.persisted.set(key, value);
    }
    const included = txHashes.map((hashHex, index) => ({ hashHex, index })).filter(({ hashHex }) => this.tracker.isAwaited(hashHex));
    if (included.length === 0) return;
    this.enqueue(async () => {
      // Looked up again now: a sweep or a rebalance may have settled or released some meanwhile.
      const receipts: TxReceipt[] = [];
      const handles: MessageHandle[] = [];
      for (const { hashHex, index } of included) {
        const waiting = this.tracker.awaiting(hashHex);
        if (waiting.length === 0) continue;
        receipts.push({ hash: hashHex, status: 'committed', height, index });
        handles.push(...waiting.map((w) => w.handle));
      }
      await this.produce(this.options.receiptsTopic, receipts.map(receiptRecord));
      for (const handle of handles) this.tracker.done(handle);
      await this.commitOffsets();
    });
  }

  /** Pooled transactions were dropped for good: their messages go to the DLQ with that code. */
  onRejected(events: ReadonlyArray<{ hashHex: string; code: string; message: string }>): void {
    const refused: Refused[] = [];
    for (const event of events) {
      for (const { handle, item } of this.tracker.awaiting(event.hashHex)) refused.push({ handle, record: item, code: event.code, message: event.message, hashHex: event.hashHex });
    }
    if (refused.length) this.enqueue(async () => {
      await this.deadLetter(refused);
      await this.commitOffsets();
    });
  }

  /** Stops consuming, finishes pending after-commit work, commits what is done and disconnects. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.sweepTimer);
    // Still a group member while paused, so what is done can be committed before leaving.
    this.consumer.pause([{ topic: this.options.txTopic }]);
    await this.work;
    await this.commitOffsets();
    await Promise.allSettled([this.consumer.disconnect(), this.producer.disconnect(), this.admin.disconnect()]);
    this.connected = false;
  }

  private async onAssignment(memberAssignment: Record<string, number[]>): Promise<void> {
    const topic = this.options.txTopic;
    const partitions = memberAssignment[topic] ?? [];
    for (const tp of this.tracker.owned()) this.tracker.release(tp);
    this.options.onAssigned?.(partitions);
    if (partitions.length === 0) return;
    // Without the group's offsets the ledger's still give a safe floor (redelivery is harmless).
    const committed = await this.admin.fetchOffsets({ groupId: this.options.groupId, topics: [topic] }).catch((error: unknown) => {
      this.logger.warn(`kafka: cannot read the group's offsets: ${String(error)}`);
      return [];
    });
    const inKafka = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
    for (const partition of partitions) {
      const tp = { topic, partition };
      const kafkaOffset = inKafka.get(partition) ?? -1n;
      const stored = this.persisted.get(keyOf(tp)) ?? -1n;
      const floor = [kafkaOffset, stored, 0n].reduce((a, b) => (a > b ? a : b));
      this.tracker.assign(tp, floor);
      // Records below the floor are read again but skipped (no kafkajs seek: with manual commits
      // it stalls the partition's fetches); the first commit then moves the group to the floor.
      if (stored > kafkaOffset) this.logger.info(`kafka ${topic}/${partition}: resuming at the ledger's offset ${stored} (group committed ${kafkaOffset})`);
    }
  }

  private async handleBatch({ batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload): Promise<void> {
    await this.assignment;
    const tp = { topic: batch.topic, partition: batch.partition };
    this.highWatermarks.set(keyOf(tp), BigInt(batch.highWatermark));
    let pending: Array<{ handle: MessageHandle; record: ConsumedRecord }> = [];
    for (const message of batch.messages) {
      const record: ConsumedRecord = { ...tp, offset: message.offset, key: message.key, value: message.value };
      const handle = this.tracker.seen(tp, BigInt(message.offset), record);
      if (handle) pending.push({ handle, record });
    }
    const nonceDeadlineMs = Date.now() + (this.options.nonceWaitMs ?? 30_000);
    while (pending.length > 0) {
      if (!isRunning() || isStale() || this.stopping) return;
      if (this.host.isUnderPressure()) {
        await sleep(this.options.retryDelayMs ?? 200);
        await heartbeat();
        continue;
      }
      const results = await this.host.submit(pending.map((p) => p.record.value ?? EMPTY));
      const retry: typeof pending = [];
      const dead: Refused[] = [];
      const known: Array<{ handle: MessageHandle; hashHex: string }> = [];
      let retryAfterMs = this.options.retryDelayMs ?? 200;
      results.forEach((result, i) => {
        const { handle, record } = pending[i];
        if (result.accepted) return this.tracker.awaitHash(handle, result.hashHex);
        const action = refusalAction(result.code);
        if (action === 'retry' || (action === 'retry-bounded' && Date.now() < nonceDeadlineMs)) {
          retry.push(pending[i]);
          retryAfterMs = Math.max(retryAfterMs, result.retryAfterMs ?? 0);
        } else if (action === 'dead-letter' || action === 'retry-bounded' || !result.hashHex) {
          dead.push({ handle, record, code: result.code, message: result.message, hashHex: result.hashHex });
        } else if (result.code === 'TX_ALREADY_COMMITTED') {
          known.push({ handle, hashHex: result.hashHex });
        } else {
          this.tracker.awaitHash(handle, result.hashHex);
        }
      });
      for (const k of known) this.tracker.awaitHash(k.handle, k.hashHex);
      // Until the DLQ acknowledges, these messages are not done; keep trying rather than skip them.
      for (;;) {
        try {
          await Promise.all([this.deadLetter(dead), this.settleFromLedger(known.map((k) => k.hashHex))]);
          break;
        } catch (error) {
          this.logger.warn(`kafka DLQ/receipt produce failed, retrying: ${(error as Error).message}`);
          if (!isRunning() || isStale() || this.stopping) return;
          await sleep(this.options.retryDelayMs ?? 200);
          await heartbeat();
        }
      }
      pending = retry;
      if (retry.length) {
        await sleep(retryAfterMs);
        await heartbeat();
      }
    }
    resolveOffset(batch.lastOffset());
    await heartbeat();
    this.enqueue(() => this.commitOffsets());
  }

  /** Sends DLQ records (and rejected receipts) and only then marks the messages done. */
  private async deadLetter(refused: readonly Refused[]): Promise<void> {
    if (refused.length === 0) return;
    await this.produce(this.options.dlqTopic, refused.map((r) => deadLetterRecord(r.record, r.code, r.message)));
    const receipts = new Map<string, TxReceipt>();
    for (const r of refused) if (r.hashHex) receipts.set(r.hashHex, { hash: r.hashHex, status: 'rejected', reason: r.code, message: r.message });
    await this.produce(this.options.receiptsTopic, [...receipts.values()].map(receiptRecord));
    for (const r of refused) this.tracker.done(r.handle);
  }

  /**
   * Finishes messages whose transactions have an outcome in the ledger but whose commit or
   * drop this consumer did not observe (committed before the message arrived, or dropped
   * outside the pipeline such as an eviction).
   */
  private async settleFromLedger(hashes: readonly string[]): Promise<void> {
    const receipts: TxReceipt[] = [];
    const done: MessageHandle[] = [];
    const refused: Refused[] = [];
    for (const hashHex of new Set(hashes)) {
      const outcome = await this.host.outcome(hashHex);
      const waiting = this.tracker.awaiting(hashHex);
      if (!outcome || waiting.length === 0) continue;
      if (outcome.status === 'committed') {
        receipts.push({ hash: hashHex, status: 'committed', height: outcome.height, index: outcome.index });
        done.push(...waiting.map((w) => w.handle));
      } else {
        refused.push(...waiting.map((w) => ({ handle: w.handle, record: w.item, code: outcome.code, message: outcome.message, hashHex })));
      }
    }
    await this.produce(this.options.receiptsTopic, receipts.map(receiptRecord));
    for (const handle of done) this.tracker.done(handle);
    await this.deadLetter(refused);
  }

  /** Awaited transactions no longer pooled: look their outcome up in the ledger. */
  private async sweep(): Promise<void> {
    const gone = this.tracker.awaitedHashes().filter((hashHex) => !this.host.isPooled(hashHex));
    if (gone.length === 0) return;
    await this.settleFromLedger(gone);
    await this.commitOffsets();
  }

  private async commitOffsets(): Promise<void> {
    const offsets = this.tracker.toCommit();
    this.reportLag();
    if (offsets.length === 0) return;
    try {
      await this.consumer.commitOffsets(offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.nextOffset })));
      this.tracker.markCommitted(offsets);
    } catch (error) {
      // A rebalance is in progress: the next owner resumes from the last committed offset.
      this.logger.warn(`kafka offset commit failed: ${(error as Error).message}`);
    }
  }

  private reportLag(): void {
    if (!this.options.onLag) return;
    for (const offset of this.tracker.committable()) {
      const high = this.highWatermarks.get(keyOf(offset));
      if (high !== undefined) this.options.onLag(offset, Math.max(0, Number(high - BigInt(offset.nextOffset))));
    }
  }

  private async produce(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.producer.send({ topic, acks: -1, messages: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers })) });
  }

  private enqueue(task: () => Promise<void>): void {
    this.work = this.work.then(task).catch((error: unknown) => this.logger.error(`kafka ingress: ${error instanceof Error ? error.message : String(error)}`));
  }
}
