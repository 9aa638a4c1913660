/** Heights `from..to`, both included. */
export interface HeightRange {
  from: bigint;
  to: bigint;
}

/** A range asked of one peer. */
export interface RangeRequest extends HeightRange {
  id: number;
  peerId: string;
  deadlineMs: number;
}

/** A peer that may serve blocks up to its head. */
export interface PeerCandidate {
  id: string;
  head: bigint;
}

/** How much the scheduler asks for at once. */
export interface SchedulerLimits {
  /** Blocks per request. */
  blocksPerRequest: number;
  /** Requests in flight over all peers. */
  maxOutstanding: number;
  /** Requests in flight to one peer. */
  maxPerPeer: number;
  /** How far beyond the next height to apply blocks may be fetched (bounds the memory held). */
  maxAheadBlocks: number;
  requestTimeoutMs: number;
}

/** A fetched block waiting for its turn, and who served it. */
export interface ReceivedItem<T> {
  height: bigint;
  item: T;
  peerId: string;
}

/**
 * Which heights to fetch from which peer, and in what order to apply them. The gap between the
 * next height to apply and the target is cut into ranges handed to the least busy peers that
 * have them, within a bounded window; answers may arrive in any order and are released strictly
 * by height. A failed, timed-out or dropped peer's ranges go back to the queue for another peer.
 * Pure: no I/O, time is passed in.
 */
export class RangeScheduler<T> {
  private nextToApply: bigint;
  private target: bigint;
  /** Highest height ever queued: raising the target queues only what lies above it. */
  private plannedTo: bigint;
  /** Ranges nobody is fetching, sorted by `from`. */
  private queued: HeightRange[] = [];
  private readonly inFlight = new Map<number, RangeRequest>();
  private readonly received = new Map<bigint, ReceivedItem<T>>();
  private readonly lastAssigned = new Map<string, number>();
  private nextId = 1;
  private assignments = 0;

  constructor(
    nextHeight: bigint,
    target: bigint,
    private readonly limits: SchedulerLimits,
  ) {
    this.nextToApply = nextHeight;
    this.target = nextHeight - 1n;
    this.plannedTo = nextHeight - 1n;
    this.raiseTarget(target);
  }

  /** The next height to apply. */
  get nextHeight(): bigint {
    return this.nextToApply;
  }

  get targetHeight(): bigint {
    return this.target;
  }

  /** Whether everything up to the target was applied. */
  isDone(): boolean {
    return this.nextToApply > this.target;
  }

  /** Requests still waiting for an answer. */
  outstanding(): RangeRequest[] {
    return [...this.inFlight.values()];
  }

  /** Ranges waiting for a peer. */
  queuedRanges(): HeightRange[] {
    return this.queued.map((r) => ({ ...r }));
  }

  /** Blocks held for later heights. */
  bufferedCount(): number {
    return this.received.size;
  }

  /** Queues the heights above the current plan up to `target` (peers' heads move on during a sync). */
  raiseTarget(target: bigint): void {
    if (target <= this.target) return;
    this.target = target;
    const from = this.plannedTo + 1n > this.nextToApply ? this.plannedTo + 1n : this.nextToApply;
    if (from <= target) this.enqueue({ from, to: target });
    this.plannedTo = target;
  }

  /** Hands queued ranges to peers: lowest heights first, each to the least busy peer that has them. */
  assign(peers: readonly PeerCandidate[], nowMs: number): RangeRequest[] {
    const requests: RangeRequest[] = [];
    while (this.inFlight.size < this.limits.maxOutstanding && this.queued.length > 0) {
      const range = this.queued[0];
      if (range.from >= this.nextToApply + BigInt(this.limits.maxAheadBlocks)) break;
      const peer = this.pickPeer(peers, range.from);
      // Later ranges start higher, so no peer has them either.
      if (!peer) break;
      const from = range.from;
      let to = from + BigInt(this.limits.blocksPerRequest) - 1n;
      if (to > range.to) to = range.to;
      if (to > peer.head) to = peer.head;
      if (to === range.to) this.queued.shift();
      else range.from = to + 1n;
      const request: RangeRequest = { id: this.nextId++, peerId: peer.id, from, to, deadlineMs: nowMs + this.limits.requestTimeoutMs };
      requests.push(request);
      this.inFlight.set(request.id, request);
      this.lastAssigned.set(peer.id, this.assignments++);
    }
    return requests;
  }

  private pickPeer(peers: readonly PeerCandidate[], from: bigint): PeerCandidate | undefined {
    let best: PeerCandidate | undefined;
    let bestLoad = Number.POSITIVE_INFINITY;
    let bestLast = Number.POSITIVE_INFINITY;
    for (const peer of peers) {
      if (peer.head < from) continue;
      const load = this.loadOf(peer.id);
      if (load >= this.limits.maxPerPeer) continue;
      const last = this.lastAssigned.get(peer.id) ?? -1;
      if (load < bestLoad || (load === bestLoad && last < bestLast)) {
        best = peer;
        bestLoad = load;
        bestLast = last;
      }
    }
    return best;
  }

  /** Requests in flight to `peerId`. */
  loadOf(peerId: string): number {
    let load = 0;
    for (const request of this.inFlight.values()) if (request.peerId === peerId) load++;
    return load;
  }

  /** The request `id` if it is still awaited from `peerId`. */
  awaited(id: number, peerId: string): RangeRequest | undefined {
    const request = this.inFlight.get(id);
    return request && request.peerId === peerId ? request : undefined;
  }

  /**
   * Takes the answer to request `id`: `items[i]` is the block at `from + i` (the caller checked
   * that). Heights the peer did not send go back to the queue. Undefined for an unknown id (a
   * late answer after a timeout).
   */
  complete(id: number, items: readonly T[]): RangeRequest | undefined {
    const request = this.inFlight.get(id);
    if (!request) return undefined;
    this.inFlight.delete(id);
    items.forEach((item, i) => {
      const height = request.from + BigInt(i);
      if (height >= this.nextToApply && height <= request.to && !this.received.has(height)) this.received.set(height, { height, item, peerId: request.peerId });
    });
    const firstMissing = request.from + BigInt(items.length);
    if (firstMissing <= request.to) this.enqueue({ from: firstMissing, to: request.to });
    return request;
  }

  /** Gives up on request `id`; its range goes back to the queue. */
  fail(id: number): RangeRequest | undefined {
    const request = this.inFlight.get(id);
    if (!request) return undefined;
    this.inFlight.delete(id);
    this.enqueue({ from: request.from, to: request.to });
    return request;
  }

  /** Fails every request past its deadline and returns them. */
  expire(nowMs: number): RangeRequest[] {
    const expired = [...this.inFlight.values()].filter((r) => r.deadlineMs <= nowMs);
    for (const request of expired) this.fail(request.id);
    return expired;
  }

  /** Forgets a peer: its requests and the blocks it served that are not applied yet are fetched again from others. */
  dropPeer(peerId: string): void {
    for (const request of [...this.inFlight.values()]) if (request.peerId === peerId) this.fail(request.id);
    for (const [height, entry] of [...this.received]) {
      if (entry.peerId !== peerId) continue;
      this.received.delete(height);
      this.enqueue({ from: height, to: height });
    }
  }

  /** The block at the next height, once it arrived. */
  peekNext(): ReceivedItem<T> | undefined {
    return this.received.get(this.nextToApply);
  }

  /** The item `offset` heights after the next one, if it arrived. */
  peekAhead(offset: number): ReceivedItem<T> | undefined {
    return this.received.get(this.nextToApply + BigInt(offset));
  }

  /** The next height was applied. */
  advance(): void {
    this.received.delete(this.nextToApply);
    this.nextToApply++;
    this.trimBelow(this.nextToApply);
  }

  /** The ledger reached `height` by another path (consensus applied blocks meanwhile). */
  skipTo(nextHeight: bigint): void {
    if (nextHeight <= this.nextToApply) return;
    for (let h = this.nextToApply; h < nextHeight; h++) this.received.delete(h);
    this.nextToApply = nextHeight;
    if (this.plannedTo < nextHeight - 1n) this.plannedTo = nextHeight - 1n;
    if (this.target < nextHeight - 1n) this.target = nextHeight - 1n;
    this.trimBelow(nextHeight);
  }

  private trimBelow(height: bigint): void {
    this.queued = this.queued.filter((r) => r.to >= height).map((r) => (r.from < height ? { from: height, to: r.to } : r));
  }

  private enqueue(range: HeightRange): void {
    const from = range.from < this.nextToApply ? this.nextToApply : range.from;
    if (from > range.to) return;
    // Adjacent or overlapping ranges merge, so the queue stays short and sorted.
    const merged: HeightRange[] = [];
    let current = { from, to: range.to };
    let placed = false;
    for (const r of this.queued) {
      if (placed) {
        merged.push(r);
        continue;
      }
      if (r.to + 1n < current.from) merged.push(r);
      else if (current.to + 1n < r.from) {
        merged.push(current, r);
        placed = true;
      } else current = { from: r.from < current.from ? r.from : current.from, to: r.to > current.to ? r.to : current.to };
    }
    if (!placed) merged.push(current);
    this.queued = merged;
  }
}
