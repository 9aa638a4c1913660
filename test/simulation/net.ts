import type { RandomSource } from '#consensus';

/**
 * A seeded, tick-driven fake network for deterministic simulation of consensus protocols.
 *
 * Generic over the message type so Raft and PBFT clusters share it. Everything that varies
 * (delay, drop, duplication) is drawn from the injected `RandomSource`, and delivery order is a
 * total order on (deliverAtTick, sequence number), so one seed always yields one history.
 * Reordering is a consequence of per-message random delays.
 */

/** Fault knobs of the network; all probabilities are in [0, 1]. */
export interface NetworkOptions {
  /** Smallest delay of a message, in ticks (at least 1 so a send never lands in the same tick). */
  minDelayTicks: number;
  /** Largest delay of a message, in ticks (inclusive). */
  maxDelayTicks: number;
  /** Probability that a sent message is silently lost. */
  dropProbability: number;
  /** Probability that a sent message is delivered twice (each copy with its own delay). */
  duplicateProbability: number;
}

/** Defaults: a well-behaved network with a little jitter and no loss. */
export const DEFAULT_NETWORK_OPTIONS: Readonly<NetworkOptions> = Object.freeze({
  minDelayTicks: 1,
  maxDelayTicks: 3,
  dropProbability: 0,
  duplicateProbability: 0,
});

/** A message in flight or delivered. */
export interface Envelope<M> {
  readonly from: string;
  readonly to: string;
  readonly message: M;
  readonly sentAtTick: number;
  readonly deliverAtTick: number;
  /** Global send order; ties on `deliverAtTick` are broken by it. */
  readonly seq: number;
}

/** Counters for the whole run, handy in failure messages and traces. */
export interface NetworkStats {
  sent: number;
  delivered: number;
  dropped: number;
  duplicated: number;
}

/** A seeded fake network; see the module comment. */
export class SimNetwork<M> {
  private readonly nodeIds: readonly string[];
  private options: NetworkOptions;
  private tickNow = 0;
  private seqNext = 0;
  private inFlight: Envelope<M>[] = [];
  /** Blocked directed links, keyed `from→to`. Symmetric partitions block both directions. */
  private readonly blocked = new Set<string>();
  private readonly down = new Set<string>();
  private readonly counters: NetworkStats = { sent: 0, delivered: 0, dropped: 0, duplicated: 0 };

  constructor(
    nodeIds: readonly string[],
    private readonly random: RandomSource,
    options: Partial<NetworkOptions> = {},
  ) {
    this.nodeIds = [...nodeIds];
    this.options = { ...DEFAULT_NETWORK_OPTIONS };
    this.setOptions(options);
  }

  /** The current tick (starts at 0; `tick()` increments it before delivering). */
  get nowTick(): number {
    return this.tickNow;
  }

  /** Number of messages sent but neither delivered nor dropped yet. */
  get inFlightCount(): number {
    return this.inFlight.length;
  }

  /** A snapshot of the run's counters. */
  get stats(): Readonly<NetworkStats> {
    return { ...this.counters };
  }

  /** The current fault knobs. */
  get currentOptions(): Readonly<NetworkOptions> {
    return { ...this.options };
  }

  /** Changes fault knobs from now on; messages already in flight keep their delays. */
  setOptions(options: Partial<NetworkOptions>): void {
    const next = { ...this.options, ...options };
    if (!Number.isInteger(next.minDelayTicks) || next.minDelayTicks < 1) {
      throw new RangeError(`minDelayTicks must be an integer >= 1, got ${next.minDelayTicks}`);
    }
    if (!Number.isInteger(next.maxDelayTicks) || next.maxDelayTicks < next.minDelayTicks) {
      throw new RangeError(`maxDelayTicks must be an integer >= minDelayTicks, got ${next.maxDelayTicks}`);
    }
    for (const p of [next.dropProbability, next.duplicateProbability]) {
      if (!(p >= 0 && p <= 1)) throw new RangeError(`probability out of [0, 1]: ${p}`);
    }
    this.options = next;
  }

  /**
   * Sends one message. It is lost if either end is down, the link is blocked, or the drop dice
   * say so; otherwise it is scheduled (possibly twice) after a random delay.
   */
  send(from: string, to: string, message: M): void {
    this.counters.sent++;
    if (!this.canCarry(from, to) || this.random.nextFloat() < this.options.dropProbability) {
      this.counters.dropped++;
      return;
    }
    this.schedule(from, to, message);
    if (this.random.nextFloat() < this.options.duplicateProbability) {
      this.counters.duplicated++;
      this.schedule(from, to, message);
    }
  }

  /**
   * Advances time by one tick and returns the messages due now, in delivery order. Messages
   * whose link was cut or whose receiver went down while they were in flight are dropped; a
   * sender crashing does not recall what it already sent.
   */
  tick(): Envelope<M>[] {
    this.tickNow++;
    const due: Envelope<M>[] = [];
    const later: Envelope<M>[] = [];
    for (const envelope of this.inFlight) {
      (envelope.deliverAtTick <= this.tickNow ? due : later).push(envelope);
    }
    this.inFlight = later;
    due.sort((a, b) => a.deliverAtTick - b.deliverAtTick || a.seq - b.seq);
    const delivered: Envelope<M>[] = [];
    for (const envelope of due) {
      if (this.canDeliver(envelope.from, envelope.to)) {
        delivered.push(envelope);
        this.counters.delivered++;
      } else {
        this.counters.dropped++;
      }
    }
    return delivered;
  }

  /**
   * Splits the nodes into groups that cannot talk to each other (both directions). Nodes not
   * listed form one more group together. Replaces any earlier partition and link blocks.
   */
  partition(groups: readonly (readonly string[])[]): void {
    this.blocked.clear();
    const groupOf = new Map<string, number>();
    groups.forEach((group, index) => group.forEach((id) => groupOf.set(id, index)));
    for (const a of this.nodeIds) {
      for (const b of this.nodeIds) {
        if (a !== b && (groupOf.get(a) ?? -1) !== (groupOf.get(b) ?? -1)) this.blocked.add(linkKey(a, b));
      }
    }
  }

  /** Cuts one node off from all others in both directions (adds to existing blocks). */
  isolate(id: string): void {
    for (const other of this.nodeIds) {
      if (other === id) continue;
      this.blocked.add(linkKey(id, other));
      this.blocked.add(linkKey(other, id));
    }
  }

  /** Blocks the directed link `from → to` only (a one-way partition). */
  blockLink(from: string, to: string): void {
    this.blocked.add(linkKey(from, to));
  }

  /** Unblocks the directed link `from → to`. */
  unblockLink(from: string, to: string): void {
    this.blocked.delete(linkKey(from, to));
  }

  /** True when `from → to` is currently blocked. */
  isLinkBlocked(from: string, to: string): boolean {
    return this.blocked.has(linkKey(from, to));
  }

  /** Removes every partition and link block (crashed nodes stay down). */
  heal(): void {
    this.blocked.clear();
  }

  /** Marks a node down: it neither sends nor receives, and messages in flight to it are lost. */
  crash(id: string): void {
    this.down.add(id);
    this.inFlight = this.inFlight.filter((envelope) => {
      if (envelope.to !== id) return true;
      this.counters.dropped++;
      return false;
    });
  }

  /** Marks a crashed node up again. */
  restart(id: string): void {
    this.down.delete(id);
  }

  /** True unless the node is crashed. */
  isUp(id: string): boolean {
    return !this.down.has(id);
  }

  /** The ids of nodes currently up, in construction order. */
  upNodes(): string[] {
    return this.nodeIds.filter((id) => !this.down.has(id));
  }

  private canCarry(from: string, to: string): boolean {
    return !this.down.has(from) && !this.down.has(to) && !this.blocked.has(linkKey(from, to));
  }

  /** A packet already on the wire still arrives if its sender crashed meanwhile. */
  private canDeliver(from: string, to: string): boolean {
    return !this.down.has(to) && !this.blocked.has(linkKey(from, to));
  }

  private schedule(from: string, to: string, message: M): void {
    const { minDelayTicks, maxDelayTicks } = this.options;
    const delayTicks = minDelayTicks + this.random.nextInt(maxDelayTicks - minDelayTicks + 1);
    this.inFlight.push({
      from,
      to,
      message,
      sentAtTick: this.tickNow,
      deliverAtTick: this.tickNow + delayTicks,
      seq: this.seqNext++,
    });
  }
}

function linkKey(from: string, to: string): string {
  return `${from}\u2192${to}`;
}
