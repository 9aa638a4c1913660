import { bytesEqual } from './quorum.js';
import type { CheckpointMessage, ValidatorId, ViewChangeMessage } from './types.js';

/** Checkpoint messages per height and sender, and the highest height each sender claims. */
export class CheckpointTracker {
  private readonly byHeight = new Map<number, Map<ValidatorId, CheckpointMessage>>();
  private readonly highestBySender = new Map<ValidatorId, number>();

  /** What `sender` already said about `height`, if anything. */
  get(height: number, sender: ValidatorId): CheckpointMessage | undefined {
    return this.byHeight.get(height)?.get(sender);
  }

  /** Notes that `sender` (authenticated) claims to have committed up to `height`. */
  noteClaim(sender: ValidatorId, height: number): void {
    if (height > (this.highestBySender.get(sender) ?? 0)) this.highestBySender.set(sender, height);
  }

  /** The highest height at least `vouchers` distinct senders claim to have reached (0 if none). */
  heightVouchedBy(vouchers: number): number {
    const heights = [...this.highestBySender.values()].sort((a, b) => b - a);
    return heights[vouchers - 1] ?? 0;
  }

  /** Stores a checkpoint; returns the matching ones (sorted by sender) once there are `quorum`. */
  add(cp: CheckpointMessage, quorum: number): CheckpointMessage[] | undefined {
    let senders = this.byHeight.get(cp.height);
    if (senders === undefined) {
      senders = new Map();
      this.byHeight.set(cp.height, senders);
    }
    senders.set(cp.sender, cp);
    const matching = [...senders.values()].filter((m) => bytesEqual(m.digest, cp.digest));
    if (matching.length < quorum) return undefined;
    return matching.sort((a, b) => (a.sender < b.sender ? -1 : a.sender > b.sender ? 1 : 0)).slice(0, quorum);
  }

  /** Forgets checkpoints at or below `height`. */
  collectThrough(height: number): void {
    for (const h of this.byHeight.keys()) if (h <= height) this.byHeight.delete(h);
  }
}

/**
 * View-change messages per target view and sender (within the buffered window), plus the
 * highest view each validator has been seen asking for (any distance ahead, one number per
 * validator), which is what the timer and join rules count.
 */
export class ViewChangeTracker {
  private readonly byView = new Map<number, Map<ValidatorId, ViewChangeMessage>>();
  private readonly highestBySender = new Map<ValidatorId, number>();

  /** True when `sender` already asked for `view`. */
  has(view: number, sender: ValidatorId): boolean {
    return this.byView.get(view)?.has(sender) === true;
  }

  /** The view-changes for `view`, in arrival order. */
  forView(view: number): ViewChangeMessage[] {
    return [...(this.byView.get(view)?.values() ?? [])];
  }

  /** `sender`'s view-change for `view`, if any. */
  get(view: number, sender: ValidatorId): ViewChangeMessage | undefined {
    return this.byView.get(view)?.get(sender);
  }

  /** Stores a checked view-change. */
  store(vc: ViewChangeMessage): void {
    let senders = this.byView.get(vc.view);
    if (senders === undefined) {
      senders = new Map();
      this.byView.set(vc.view, senders);
    }
    senders.set(vc.sender, vc);
    this.noteClaim(vc.sender, vc.view);
  }

  /** Notes that `sender` (authenticated) asked for `view`. */
  noteClaim(sender: ValidatorId, view: number): void {
    if (view > (this.highestBySender.get(sender) ?? -1)) this.highestBySender.set(sender, view);
  }

  /** Distinct validators that asked for `view` or a later one. */
  sendersAtOrAbove(view: number): number {
    let count = 0;
    for (const v of this.highestBySender.values()) if (v >= view) count++;
    return count;
  }

  /** The highest view above `view` that at least `supporters` distinct validators ask for (or more). */
  viewBackedBy(view: number, supporters: number): number | undefined {
    const views = [...this.highestBySender.values()].filter((v) => v > view).sort((a, b) => b - a);
    return views[supporters - 1];
  }

  /** Forgets view-change messages for views below `view` (the per-validator claims stay). */
  forgetBelow(view: number): void {
    for (const v of this.byView.keys()) if (v < view) this.byView.delete(v);
  }
}
