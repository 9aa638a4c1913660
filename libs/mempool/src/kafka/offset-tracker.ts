/** A Kafka topic partition. */
export interface TopicPartition {
  topic: string;
  partition: number;
}

/** The next offset to read for one partition (Kafka's commit semantics: last done + 1). */
export interface PartitionOffset extends TopicPartition {
  /** Decimal string, as Kafka clients carry offsets. */
  nextOffset: string;
}

/** Identifies one tracked message; stale after its partition is released or reassigned. */
export interface MessageHandle extends TopicPartition {
  offset: bigint;
  epoch: number;
}

interface Entry<T> {
  item: T;
  hashHex?: string;
}

interface PartitionState<T> {
  epoch: number;
  /** Unfinished messages by offset; Kafka delivers a partition in order, so insertion order is ascending. */
  inFlight: Map<bigint, Entry<T>>;
  /** Offsets below this are skipped: already consumed according to the ledger or Kafka. */
  floor: bigint;
  /** Highest offset seen + 1 (or the floor before anything was seen). */
  next: bigint;
  /** Last offset handed out as committed to Kafka. */
  committed?: bigint;
}

const sameMessage = (a: MessageHandle, b: MessageHandle): boolean => a.topic === b.topic && a.partition === b.partition && a.offset === b.offset && a.epoch === b.epoch;
const keyOf = (tp: TopicPartition): string => `${tp.topic}\u0000${tp.partition}`;

/**
 * Which Kafka offsets may be committed: per partition, the lowest offset whose message is not
 * done yet (or everything seen, when all are done). A message is done once its final effect is
 * durable: its transaction committed in a block (and its receipt sent) or it went to the DLQ.
 * Messages can finish in any order; the committable offset never passes an unfinished one.
 * Pure bookkeeping, no I/O: `T` is whatever the caller keeps per message (the original record).
 */
export class OffsetTracker<T> {
  private readonly partitions = new Map<string, PartitionState<T>>();
  private readonly byHash = new Map<string, MessageHandle[]>();
  private epochs = 0;

  /**
   * Takes ownership of a partition (after an assignment). Offsets below `floor` (from the
   * ledger's stored offsets) are treated as done and skipped. Re-assigning forgets earlier state.
   */
  assign(tp: TopicPartition, floor = 0n): void {
    this.release(tp);
    this.partitions.set(keyOf(tp), { epoch: ++this.epochs, inFlight: new Map(), floor, next: floor });
  }

  /** Forgets a partition (revoked): its unfinished messages will be redelivered to the next owner. */
  release(tp: TopicPartition): void {
    const state = this.partitions.get(keyOf(tp));
    if (!state) return;
    for (const entry of state.inFlight.values()) if (entry.hashHex) this.unlinkHash(entry.hashHex, (h) => h.topic === tp.topic && h.partition === tp.partition && h.epoch === state.epoch);
    this.partitions.delete(keyOf(tp));
  }

  /** Partitions currently owned. */
  owned(): TopicPartition[] {
    return [...this.partitions.keys()].map((key) => {
      const [topic, partition] = key.split('\u0000');
      return { topic, partition: Number(partition) };
    });
  }

  /**
   * Registers a delivered message. Returns undefined when it needs no processing: the partition
   * is not owned, the offset is below the floor, or it was already seen (a redelivery).
   */
  seen(tp: TopicPartition, offset: bigint, item: T): MessageHandle | undefined {
    const state = this.partitions.get(keyOf(tp));
    if (!state || offset < state.next) return undefined;
    state.inFlight.set(offset, { item });
    state.next = offset + 1n;
    return { ...tp, offset, epoch: state.epoch };
  }

  /** The message is done once the transaction `hashHex` commits (or is dropped for good). */
  awaitHash(handle: MessageHandle, hashHex: string): void {
    const entry = this.entryOf(handle);
    if (!entry) return;
    entry.hashHex = hashHex;
    const list = this.byHash.get(hashHex) ?? [];
    list.push(handle);
    this.byHash.set(hashHex, list);
  }

  /** Whether some unfinished message waits for this transaction. */
  isAwaited(hashHex: string): boolean {
    return this.byHash.has(hashHex);
  }

  /** Hashes some unfinished message waits for. */
  awaitedHashes(): string[] {
    return [...this.byHash.keys()];
  }

  /** The messages waiting for `hashHex`, without finishing them. */
  awaiting(hashHex: string): Array<{ handle: MessageHandle; item: T }> {
    const out: Array<{ handle: MessageHandle; item: T }> = [];
    for (const handle of this.byHash.get(hashHex) ?? []) {
      const entry = this.entryOf(handle);
      if (entry) out.push({ handle, item: entry.item });
    }
    return out;
  }

  /** Marks one message done (ignored when stale). */
  done(handle: MessageHandle): void {
    const state = this.stateOf(handle);
    const entry = state?.inFlight.get(handle.offset);
    if (!state || !entry) return;
    state.inFlight.delete(handle.offset);
    if (entry.hashHex) this.unlinkHash(entry.hashHex, (h) => sameMessage(h, handle));
  }

  /**
   * Committable offsets of every owned partition that has a position, optionally as if the
   * messages awaiting `assumeDone` hashes were done already.
   */
  committable(assumeDone?: ReadonlySet<string>): PartitionOffset[] {
    const out: PartitionOffset[] = [];
    for (const [key, state] of this.partitions) {
      const [topic, partition] = key.split('\u0000');
      out.push({ topic, partition: Number(partition), nextOffset: String(OffsetTracker.positionOf(state, assumeDone)) });
    }
    return out;
  }

  /** Offsets that moved past what was last reported committed; call `markCommitted` once Kafka acknowledged them. */
  toCommit(): PartitionOffset[] {
    const out: PartitionOffset[] = [];
    for (const [key, state] of this.partitions) {
      const position = OffsetTracker.positionOf(state);
      if (position === state.floor && state.committed === undefined) continue;
      if (state.committed !== undefined && position <= state.committed) continue;
      const [topic, partition] = key.split('\u0000');
      out.push({ topic, partition: Number(partition), nextOffset: String(position) });
    }
    return out;
  }

  /** Records that Kafka acknowledged these offsets. */
  markCommitted(offsets: readonly PartitionOffset[]): void {
    for (const offset of offsets) {
      const state = this.partitions.get(keyOf(offset));
      const value = BigInt(offset.nextOffset);
      if (state && (state.committed === undefined || value > state.committed)) state.committed = value;
    }
  }

  /** Unfinished messages per owned partition (for lag and shutdown diagnostics). */
  inFlightCount(tp: TopicPartition): number {
    return this.partitions.get(keyOf(tp))?.inFlight.size ?? 0;
  }

  private static positionOf<T>(state: PartitionState<T>, assumeDone?: ReadonlySet<string>): bigint {
    for (const [offset, entry] of state.inFlight) {
      if (assumeDone && entry.hashHex && assumeDone.has(entry.hashHex)) continue;
      return offset;
    }
    return state.next;
  }

  private stateOf(handle: MessageHandle): PartitionState<T> | undefined {
    const state = this.partitions.get(keyOf(handle));
    return state && state.epoch === handle.epoch ? state : undefined;
  }

  private entryOf(handle: MessageHandle): Entry<T> | undefined {
    return this.stateOf(handle)?.inFlight.get(handle.offset);
  }

  private unlinkHash(hashHex: string, matches: (handle: MessageHandle) => boolean): void {
    const list = this.byHash.get(hashHex);
    if (!list) return;
    const rest = list.filter((h) => !matches(h));
    if (rest.length) this.byHash.set(hashHex, rest);
    else this.byHash.delete(hashHex);
  }
}
