import type { PeerCandidate } from './range-scheduler.js';

interface Ban {
  untilMs: number;
  reason: string;
}

/**
 * What this node knows of its peers for block sync: the head each one last announced (or
 * reported in a block response), and which are banned for serving bad blocks or suspended after
 * a timeout. Pure: time is passed in.
 */
export class PeerBook {
  private readonly heads = new Map<string, bigint>();
  private readonly bans = new Map<string, Ban>();

  /** A peer's head as it last told us. */
  recordHead(peerId: string, height: bigint): void {
    this.heads.set(peerId, height);
  }

  headOf(peerId: string): bigint | undefined {
    return this.heads.get(peerId);
  }

  /** Keeps `peerId` out of sync until `untilMs`. */
  ban(peerId: string, untilMs: number, reason: string): void {
    const current = this.bans.get(peerId);
    if (!current || current.untilMs < untilMs) this.bans.set(peerId, { untilMs, reason });
  }

  isBanned(peerId: string, nowMs: number): boolean {
    const ban = this.bans.get(peerId);
    if (!ban) return false;
    if (ban.untilMs > nowMs) return true;
    this.bans.delete(peerId);
    return false;
  }

  /** Peers banned now, with why. */
  banned(nowMs: number): Array<{ peerId: string; reason: string; untilMs: number }> {
    return [...this.bans.entries()].filter(([id]) => this.isBanned(id, nowMs)).map(([peerId, ban]) => ({ peerId, ...ban }));
  }

  /** Connected, allowed, not banned peers with a known head. */
  candidates(connected: readonly string[], nowMs: number): PeerCandidate[] {
    const candidates: PeerCandidate[] = [];
    for (const id of connected) {
      const head = this.heads.get(id);
      if (head !== undefined && !this.isBanned(id, nowMs)) candidates.push({ id, head });
    }
    return candidates;
  }

  /** The highest head among the candidates (undefined when none is known). */
  bestHead(connected: readonly string[], nowMs: number): bigint | undefined {
    let best: bigint | undefined;
    for (const candidate of this.candidates(connected, nowMs)) if (best === undefined || candidate.head > best) best = candidate.head;
    return best;
  }
}
