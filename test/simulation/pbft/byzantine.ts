import {
  encodePbftMessage,
  type CommittedBlock,
  signPbftMessage,
  type CommitMessage,
  type NewViewMessage,
  type PbftAuthenticator,
  type PbftMessage,
  type PrePrepareMessage,
  type PrepareMessage,
  type PreparedCertificate,
  type RandomSource,
  type ViewChangeMessage,
} from '#consensus';
import { decodeSimBlock, encodeSimBlock, simBlockDigest } from './sim-app.js';

/** How one Byzantine validator misbehaves for a whole run. */
export type ByzantineProfile = 'silent' | 'equivocator' | 'liar' | 'forger' | 'mixed';

/** Every profile, so a seed can pick one. */
export const BYZANTINE_PROFILES: readonly ByzantineProfile[] = ['silent', 'equivocator', 'liar', 'forger', 'mixed'];

/** One outgoing packet: raw bytes for one recipient. */
export interface Packet {
  readonly to: string;
  readonly bytes: Uint8Array;
}

interface Equivocation {
  readonly digestFor: (recipient: string) => Uint8Array;
}

/**
 * The colluding Byzantine validators. Each runs an honest core to follow the protocol's state,
 * and the coalition rewrites what it sends: an equivocating primary sends different valid blocks
 * to two halves of the honest replicas and every colluder votes for each half's block in that
 * half; liars vote for made-up digests; forgers add bad signatures, impersonations, replays and
 * garbage; silent ones send nothing.
 */
export class ByzantineCoalition {
  private readonly equivocations = new Map<string, Equivocation>();
  private readonly seen: Uint8Array[] = [];

  constructor(
    private readonly chainId: string,
    private readonly allIds: readonly string[],
    private readonly honestIds: readonly string[],
    private readonly profiles: ReadonlyMap<string, ByzantineProfile>,
    private readonly authenticators: ReadonlyMap<string, PbftAuthenticator>,
    private readonly random: RandomSource,
  ) {}

  /** True when `id` is a member. */
  has(id: string): boolean {
    return this.profiles.has(id);
  }

  /** Remembers traffic a member received, as material for replays and forgeries. */
  observe(bytes: Uint8Array): void {
    if (this.seen.length < 400) this.seen.push(bytes);
    else this.seen[this.random.nextInt(this.seen.length)] = bytes;
  }

  /** What member `from` actually sends when its honest core wants to broadcast `message`. */
  rewrite(from: string, message: PbftMessage): Packet[] {
    const profile = this.profiles.get(from) as ByzantineProfile;
    if (profile === 'silent') return [];
    const equivocating = profile === 'equivocator' || profile === 'mixed';
    const lying = profile === 'liar' || profile === 'mixed';
    switch (message.type) {
      case 'pre-prepare':
        if (equivocating && this.random.nextFloat() < 0.8) return this.equivocate(from, message);
        break;
      case 'prepare':
      case 'commit': {
        const split = this.equivocations.get(key(message.view, message.height));
        if (split !== undefined) return this.splitVote(from, message, split.digestFor);
        if (lying && this.random.nextFloat() < 0.6) return this.splitVote(from, message, () => this.randomDigest());
        break;
      }
      case 'view-change':
        if (lying && this.random.nextFloat() < 0.5) return this.broadcast(from, this.tamperViewChange(from, message));
        break;
      case 'new-view':
        if (lying && this.random.nextFloat() < 0.5) return this.broadcast(from, this.tamperNewView(from, message));
        break;
      default:
        break;
    }
    return this.broadcast(from, message);
  }

  /** Unsolicited junk a forging member injects this tick. */
  inject(from: string, view: number, height: number): Packet[] {
    const profile = this.profiles.get(from);
    if ((profile !== 'forger' && profile !== 'mixed') || this.random.nextFloat() > 0.3) return [];
    const to = this.pickPeer(from);
    const sample = this.seen.length > 0 ? this.seen[this.random.nextInt(this.seen.length)] : undefined;
    switch (this.random.nextInt(7)) {
      case 0: {
        const garbage = new Uint8Array(this.random.nextInt(120));
        for (let i = 0; i < garbage.length; i++) garbage[i] = this.random.nextInt(256);
        return [{ to, bytes: garbage }];
      }
      case 1: {
        if (sample === undefined || sample.length === 0) return [];
        const flipped = sample.slice();
        flipped[this.random.nextInt(flipped.length)] ^= 1 + this.random.nextInt(255);
        return [{ to, bytes: flipped }];
      }
      case 2:
        return sample === undefined ? [] : [{ to, bytes: sample }];
      case 3: {
        // Impersonation: a vote claiming to be from an honest validator, signed with our key.
        const victim = this.honestIds[this.random.nextInt(this.honestIds.length)];
        const forged = signPbftMessage<CommitMessage>(
          this.chainId,
          { type: 'commit', view, height, digest: this.randomDigest(), sender: victim },
          this.authenticatorOf(from),
        );
        return [{ to, bytes: encodePbftMessage(forged) }];
      }
      case 5: {
        // Proposing out of turn: a validly signed pre-prepare from a validator that is not the
        // primary of the next view.
        const block = encodeSimBlock({ height, view: view + 1, proposer: from, parent: this.randomDigest(), payload: 1 });
        const outOfTurn = signPbftMessage<PrePrepareMessage>(
          this.chainId,
          { type: 'pre-prepare', view: this.allIds[(view + 1) % this.allIds.length] === from ? view + 2 : view + 1, height, digest: simBlockDigest(block), block, sender: from },
          this.authenticatorOf(from),
        );
        return [{ to, bytes: encodePbftMessage(outOfTurn) }];
      }
      case 4: {
        // A message from outside the validator set.
        const intruder = signPbftMessage<PrepareMessage>(
          this.chainId,
          { type: 'prepare', view, height, digest: this.randomDigest(), sender: 'intruder' },
          this.authenticatorOf(from),
        );
        return [{ to, bytes: encodePbftMessage(intruder) }];
      }
      default: {
        const farView = view + 1 + this.random.nextInt(1000);
        const farHeight = height + this.random.nextInt(1000);
        const vote = signPbftMessage<PrepareMessage>(
          this.chainId,
          { type: 'prepare', view: farView, height: farHeight, digest: this.randomDigest(), sender: from },
          this.authenticatorOf(from),
        );
        return [{ to, bytes: encodePbftMessage(vote) }];
      }
    }
  }

  /** What member `from` serves a peer that asks it for a committed block during sync. */
  serveSyncedBlock(from: string, block: CommittedBlock): CommittedBlock {
    const profile = this.profiles.get(from);
    if (profile !== 'forger' && profile !== 'mixed') return block;
    const decoded = decodeSimBlock(block.block);
    if (decoded === undefined) return block;
    // A different block under the genuine certificate: the certificate no longer matches it.
    const forged = encodeSimBlock({ ...decoded, payload: (decoded.payload + 1) >>> 0 });
    return { ...block, block: forged, digest: simBlockDigest(forged) };
  }

  private equivocate(from: string, pp: PrePrepareMessage): Packet[] {
    const block = decodeSimBlock(pp.block);
    if (block === undefined) return this.broadcast(from, pp);
    // Usually a second valid block; sometimes one on a wrong parent that honest replicas must reject.
    const parent = this.random.nextFloat() < 0.2 ? new Uint8Array(32).fill(0xee) : block.parent;
    const other = encodeSimBlock({ ...block, parent, payload: (block.payload + 1 + this.random.nextInt(1000)) >>> 0 });
    const otherPp = signPbftMessage<PrePrepareMessage>(this.chainId, { ...pp, block: other, digest: simBlockDigest(other) }, this.authenticatorOf(from));
    const shuffled = [...this.honestIds].sort(() => this.random.nextFloat() - 0.5);
    const groupB = new Set(shuffled.slice(0, Math.floor(shuffled.length / 2)));
    const digestFor = (recipient: string): Uint8Array => (groupB.has(recipient) ? otherPp.digest : pp.digest);
    this.equivocations.set(key(pp.view, pp.height), { digestFor });
    return this.allIds.filter((id) => id !== from).map((to) => ({ to, bytes: encodePbftMessage(groupB.has(to) ? otherPp : pp) }));
  }

  private splitVote(from: string, vote: PrepareMessage | CommitMessage, digestFor: (recipient: string) => Uint8Array): Packet[] {
    return this.allIds
      .filter((id) => id !== from)
      .map((to) => {
        const signed = signPbftMessage<PrepareMessage | CommitMessage>(this.chainId, { ...vote, digest: digestFor(to) }, this.authenticatorOf(from));
        return { to, bytes: encodePbftMessage(signed) };
      });
  }

  /**
   * A correctly signed VIEW-CHANGE that either hides what the member prepared (allowed: it is one
   * of f liars) or claims a prepared certificate nobody else signed (must be rejected).
   */
  private tamperViewChange(from: string, vc: ViewChangeMessage): ViewChangeMessage {
    if (this.random.nextFloat() < 0.5) return signPbftMessage<ViewChangeMessage>(this.chainId, { ...vc, prepared: [] }, this.authenticatorOf(from));
    const height = vc.stableHeight + 1;
    const block = encodeSimBlock({ height, view: Math.max(0, vc.view - 1), proposer: from, parent: this.randomDigest(), payload: 7 });
    const prePrepare = signPbftMessage<PrePrepareMessage>(
      this.chainId,
      { type: 'pre-prepare', view: Math.max(0, vc.view - 1), height, digest: simBlockDigest(block), block, sender: from },
      this.authenticatorOf(from),
    );
    const fake: PreparedCertificate = { prePrepare, prepares: [] };
    return signPbftMessage<ViewChangeMessage>(
      this.chainId,
      { ...vc, prepared: [fake, ...vc.prepared.filter((c) => c.prePrepare.height !== height)] },
      this.authenticatorOf(from),
    );
  }

  /** A correctly signed NEW-VIEW whose contents do not follow from its view-changes. */
  private tamperNewView(from: string, nv: NewViewMessage): NewViewMessage {
    const changed =
      nv.prePrepares.length > 0 ? { ...nv, prePrepares: nv.prePrepares.slice(0, -1) } : { ...nv, viewChanges: nv.viewChanges.slice(0, -1) };
    return signPbftMessage<NewViewMessage>(this.chainId, changed, this.authenticatorOf(from));
  }

  private broadcast(from: string, message: PbftMessage): Packet[] {
    const bytes = encodePbftMessage(message);
    return this.allIds.filter((id) => id !== from).map((to) => ({ to, bytes }));
  }

  private pickPeer(from: string): string {
    const peers = this.allIds.filter((id) => id !== from);
    return peers[this.random.nextInt(peers.length)];
  }

  private randomDigest(): Uint8Array {
    const digest = new Uint8Array(32);
    for (let i = 0; i < 32; i++) digest[i] = this.random.nextInt(256);
    return digest;
  }

  private authenticatorOf(id: string): PbftAuthenticator {
    return this.authenticators.get(id) as PbftAuthenticator;
  }
}

function key(view: number, height: number): string {
  return `${view}:${height}`;
}
