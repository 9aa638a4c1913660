import { checkCommitCertificate } from './certificates.js';
import { decodePbftMessage } from './codec.js';
import { bytesEqual, primaryOf } from './quorum.js';
import { ReplicaBase, byHeight, bySender, voteKey } from './replica-base.js';
import type { CommittedBlock, PbftConfig, PbftInputResult, PbftPersistentState, StableCheckpoint, SyncedBlock } from './replica-types.js';
import { signPbftMessage } from './signing.js';
import type { CheckpointMessage, CommitMessage, NewViewMessage, PbftMessage, PrePrepareMessage, PrepareMessage, ViewChangeMessage } from './types.js';
import { checkNewView, checkViewChange, computeNewViewPlan, type NewViewPlan } from './view-change.js';

/**
 * One validator's PBFT state machine (Castro & Liskov, OSDI '99), one consensus instance per
 * block height. Pure and deterministic: inputs are `tick`, `step`, `propose` and
 * `deliverSyncedBlock`; outputs are drained as `PbftReady` batches. No I/O, no clock, no
 * randomness.
 *
 * ```ts
 * const replica = new PbftReplica(config, restoredState);
 * replica.tick(); replica.step(message);
 * if (replica.readyToPropose()) replica.propose(buildBlock(replica.nextHeight()));
 * if (replica.hasReady()) { const rd = replica.ready(); persist(rd.persist); broadcast(rd.messages); apply(rd.committed); replica.advance(rd); }
 * ```
 */
export class PbftReplica extends ReplicaBase {
  /** Re-entrancy guard: commits trigger validation of the next height, which may commit again. */
  private committing = false;

  constructor(config: PbftConfig, restored?: PbftPersistentState) {
    super(config);
    if (restored !== undefined) this.restore(restored);
  }

  // ---- inputs -------------------------------------------------------------------------------

  /** Advances the logical clock by one tick: view-change timeouts and re-sends. */
  tick(): void {
    this.ticksSinceRetransmit++;
    // While changing views, wait until a quorum has left the current view too (asking for it or a
    // later one) before the clock runs again, so replicas that moved ahead wait for the rest
    // instead of racing off to ever higher views.
    const waitingForQuorum = this.viewChanging && this.viewChanges.sendersAtOrAbove(this.currentView) < this.quorum;
    if (!waitingForQuorum) this.ticksWithoutProgress++;
    if (this.ticksWithoutProgress >= this.currentTimeoutTicks()) {
      this.startViewChange(this.currentView + 1);
    } else if (this.ticksSinceRetransmit >= this.retransmitInterval) {
      this.retransmit();
    }
  }

  /** Decodes and handles bytes from a peer; undecodable input is dropped as `malformed`. */
  stepBytes(bytes: Uint8Array): void {
    const decoded = decodePbftMessage(bytes);
    if (decoded.ok) this.step(decoded.message);
    else this.drop('malformed');
  }

  /** Handles one message from a peer. Invalid, forged, stale or repeated messages are dropped and counted. */
  step(message: PbftMessage): void {
    if (!this.members.has(message.sender)) return this.drop('not-validator');
    if (message.sender === this.config.selfId) return this.drop('own-message');
    switch (message.type) {
      case 'pre-prepare':
        return this.onPrePrepare(message);
      case 'prepare':
        return this.onVote(message);
      case 'commit':
        return this.onVote(message);
      case 'checkpoint':
        return this.onCheckpoint(message);
      case 'view-change':
        return this.onViewChange(message);
      case 'new-view':
        return this.onNewView(message);
    }
  }

  /** Proposes `block` at `nextHeight()`; only valid when `readyToPropose()`. */
  propose(block: Uint8Array): PbftInputResult {
    if (!this.readyToPropose()) return { ok: false, code: 'PBFT_NOT_READY_TO_PROPOSE' };
    const height = this.nextHeight();
    const verdict = this.config.validateProposal(height, block, { view: this.currentView, primary: this.config.selfId, reproposed: false });
    if (!verdict.ok) return { ok: false, code: verdict.code };
    const pp = this.broadcast<PrePrepareMessage>({ type: 'pre-prepare', view: this.currentView, height, digest: verdict.digest, block, sender: this.config.selfId });
    this.recordVote(pp);
    const slot = this.log.slot(height);
    slot.prePrepares.set(this.currentView, { message: pp, reproposed: false });
    slot.verdicts.set(this.currentView, true);
    this.checkPrepared(height);
    return { ok: true };
  }

  /**
   * Commits a block fetched from a peer after `needSyncHeight`: it must be the next height and
   * carry a valid commit certificate for its digest. The driver checks `digest` is the block's hash
   * and executes the block when it comes back in `committed`.
   */
  deliverSyncedBlock(synced: SyncedBlock): PbftInputResult {
    if (synced.height !== this.lastCommitted + 1) return { ok: false, code: 'PBFT_SYNC_OUT_OF_ORDER' };
    if (!bytesEqual(this.config.blockDigest(synced.block), synced.digest)) return { ok: false, code: 'PBFT_SYNC_DIGEST_MISMATCH' };
    const verdict = checkCommitCertificate(this.context, synced.height, synced.digest, synced.certificate);
    if (!verdict.ok) return verdict;
    this.commitBlock({ height: synced.height, view: synced.certificate[0].view, digest: synced.digest, block: synced.block, certificate: [...synced.certificate] });
    this.afterCommit();
    return { ok: true };
  }

  // ---- normal case --------------------------------------------------------------------------

  private onPrePrepare(pp: PrePrepareMessage): void {
    if (!this.admissibleView(pp.view) || !this.admissibleHeight(pp.height)) return;
    if (pp.sender !== primaryOf(this.config.validators, pp.view)) return this.drop('not-primary');
    const slot = this.log.slot(pp.height);
    const existing = slot.prePrepares.get(pp.view);
    if (existing !== undefined) {
      if (bytesEqual(existing.message.digest, pp.digest)) return this.drop('repeated');
      return this.drop(this.verify(pp) ? 'equivocation' : 'bad-signature');
    }
    if (!this.verify(pp)) return this.drop('bad-signature');
    if (pp.height <= this.lastCommitted) return this.drop('stale-height');
    slot.prePrepares.set(pp.view, { message: pp, reproposed: false });
    this.processHeight(pp.height);
  }

  private onVote(vote: PrepareMessage | CommitMessage): void {
    if (!this.admissibleView(vote.view) || !this.admissibleHeight(vote.height)) return;
    if (vote.type === 'prepare' && vote.sender === primaryOf(this.config.validators, vote.view)) return this.drop('not-primary');
    const slot = this.log.slot(vote.height);
    const table = vote.type === 'prepare' ? slot.prepares : slot.commits;
    const kind = vote.type === 'prepare' ? slot.prepares.classify(vote) : slot.commits.classify(vote as CommitMessage);
    if (kind === 'repeated') return this.drop('repeated');
    if (!this.verify(vote)) return this.drop('bad-signature');
    if (kind === 'conflicting') return this.drop('equivocation');
    (table as { put(v: PrepareMessage | CommitMessage): void }).put(vote);
    if (vote.type === 'prepare') this.processHeight(vote.height);
    else if (vote.height === this.lastCommitted + 1) this.tryCommit();
    else if (vote.height > this.lastCommitted + 1 && slot.commits.findQuorum(this.quorum) !== undefined) this.requestSync(vote.height);
  }

  /** Validates the current view's pre-prepare at `height` if it is next, votes, and advances. */
  private processHeight(height: number): void {
    if (this.viewChanging) return;
    const view = this.currentView;
    const slot = this.log.get(height);
    const entry = slot?.prePrepares.get(view);
    if (slot === undefined || entry === undefined) return;
    if (!slot.verdicts.has(view)) {
      const verdict = this.judge(height, view, entry.message, entry.reproposed);
      if (verdict === undefined) return;
      slot.verdicts.set(view, verdict);
      if (!verdict) return this.drop('invalid-proposal');
      const primary = primaryOf(this.config.validators, view);
      if (primary !== this.config.selfId && !this.votes.has(voteKey('prepare', view, height))) {
        const prepare = this.broadcast<PrepareMessage>({ type: 'prepare', view, height, digest: entry.message.digest, sender: this.config.selfId });
        this.recordVote(prepare);
        slot.prepares.put(prepare);
      }
    }
    this.checkPrepared(height);
  }

  /**
   * The application's verdict on a pre-prepare: committed heights must match what was committed,
   * the next height is validated, later heights wait (undefined) until their parent commits.
   */
  private judge(height: number, view: number, pp: PrePrepareMessage, reproposed: boolean): boolean | undefined {
    if (height <= this.lastCommitted) {
      const committed = this.committedDigests.get(height);
      return committed === undefined ? undefined : bytesEqual(committed, pp.digest);
    }
    if (height !== this.lastCommitted + 1) return undefined;
    const conflicting = this.votes.get(voteKey('prepare', view, height));
    if (conflicting !== undefined && !bytesEqual(conflicting.digest, pp.digest)) return false;
    const verdict = this.config.validateProposal(height, pp.block, { view, primary: pp.sender, reproposed });
    return verdict.ok && bytesEqual(verdict.digest, pp.digest);
  }

  /** Prepared = accepted pre-prepare + quorum - 1 matching prepares from other replicas → COMMIT. */
  private checkPrepared(height: number): void {
    const view = this.currentView;
    const slot = this.log.get(height);
    const entry = slot?.prePrepares.get(view);
    if (this.viewChanging || slot === undefined || entry === undefined || slot.verdicts.get(view) !== true) return;
    const primary = primaryOf(this.config.validators, view);
    const prepares = slot.prepares.matching(view, entry.message.digest, primary);
    if (prepares.length < this.quorum - 1) return;
    const known = this.preparedCerts.get(height);
    if (height > this.stable.height && (known === undefined || known.prePrepare.view < view)) {
      this.preparedCerts.set(height, { prePrepare: entry.message, prepares: prepares.slice(0, this.quorum - 1) });
      this.dirty = true;
    }
    if (!this.votes.has(voteKey('commit', view, height))) {
      const commit = this.broadcast<CommitMessage>({ type: 'commit', view, height, digest: entry.message.digest, sender: this.config.selfId });
      this.recordVote(commit);
      slot.commits.put(commit);
    }
    this.tryCommit();
  }

  /** Commits next heights while a quorum of matching COMMITs and the block itself are at hand. */
  private tryCommit(): void {
    if (this.committing) return;
    this.committing = true;
    try {
      for (;;) {
        const height = this.lastCommitted + 1;
        const slot = this.log.get(height);
        const quorum = slot?.commits.findQuorum(this.quorum);
        if (slot === undefined || quorum === undefined) return;
        const block = this.blockFor(height, quorum.digest);
        if (block === undefined) {
          this.requestSync(height);
          return;
        }
        this.commitBlock({ height, view: quorum.view, digest: quorum.digest, block, certificate: quorum.votes });
        this.afterCommit();
      }
    } finally {
      this.committing = false;
    }
  }

  /** The validated block bytes for (height, digest), validating a logged pre-prepare if needed. */
  private blockFor(height: number, digest: Uint8Array): Uint8Array | undefined {
    const slot = this.log.get(height);
    if (slot === undefined) return undefined;
    for (const [view, entry] of slot.prePrepares) {
      if (!bytesEqual(entry.message.digest, digest)) continue;
      if (!slot.verdicts.has(view)) slot.verdicts.set(view, this.judge(height, view, entry.message, true) === true);
      if (slot.verdicts.get(view) === true) return entry.message.block;
    }
    return undefined;
  }

  private commitBlock(block: CommittedBlock): void {
    this.lastCommitted = block.height;
    this.committedDigests.set(block.height, block.digest);
    this.committedOut.push(block);
    this.ticksWithoutProgress = 0;
    this.failedViews = 0;
    this.dirty = true;
    for (const [key, vote] of this.votes) if (vote.height <= block.height) this.votes.delete(key);
    this.syncedThrough(block.height);
    if (block.height % this.checkpointInterval === 0) {
      this.ownCheckpoint = this.broadcast<CheckpointMessage>({ type: 'checkpoint', height: block.height, digest: block.digest, sender: this.config.selfId });
      this.addCheckpoint(this.ownCheckpoint);
    }
  }

  private afterCommit(): void {
    this.processHeight(this.lastCommitted + 1);
    this.tryCommit();
  }

  // ---- checkpoints and garbage collection ---------------------------------------------------

  private onCheckpoint(cp: CheckpointMessage): void {
    if (cp.height <= this.stable.height || cp.height % this.checkpointInterval !== 0) return this.drop('outside-watermarks');
    const existing = this.checkpoints.get(cp.height, cp.sender);
    if (existing !== undefined) return this.drop(bytesEqual(existing.digest, cp.digest) ? 'repeated' : this.verify(cp) ? 'equivocation' : 'bad-signature');
    if (!this.verify(cp)) return this.drop('bad-signature');
    // f+1 validators claiming a height include an honest one: that height exists and we lack it.
    this.checkpoints.noteClaim(cp.sender, cp.height);
    const vouched = this.checkpoints.heightVouchedBy(this.f + 1);
    if (vouched > this.lastCommitted) this.requestSync(vouched);
    // Far-ahead checkpoints only tell us we are behind; storing them would let peers grow memory.
    if (cp.height <= this.stable.height + this.window) this.addCheckpoint(cp);
  }

  private addCheckpoint(cp: CheckpointMessage): void {
    const proof = this.checkpoints.add(cp, this.quorum);
    if (proof !== undefined) this.stabilize({ height: cp.height, digest: cp.digest, proof });
  }

  /** Makes `checkpoint` the low watermark and forgets everything at or below it. */
  private stabilize(checkpoint: StableCheckpoint): void {
    if (checkpoint.height <= this.stable.height) return;
    this.stable = checkpoint;
    this.dirty = true;
    this.log.collectThrough(checkpoint.height);
    this.checkpoints.collectThrough(checkpoint.height);
    for (const h of this.preparedCerts.keys()) if (h <= checkpoint.height) this.preparedCerts.delete(h);
    // Keep one window of committed digests below the checkpoint to vote on late re-proposals.
    for (const h of this.committedDigests.keys()) if (h <= checkpoint.height - this.window) this.committedDigests.delete(h);
    for (const [key, vote] of this.votes) if (vote.height <= checkpoint.height) this.votes.delete(key);
    if (checkpoint.height > this.lastCommitted) this.requestSync(checkpoint.height);
  }

  // ---- view change --------------------------------------------------------------------------

  private startViewChange(view: number): void {
    if (view < this.currentView || (view === this.currentView && this.viewChanging)) return;
    this.currentView = view;
    this.viewChanging = true;
    this.failedViews++;
    this.ticksWithoutProgress = 0;
    this.newView = undefined;
    this.dirty = true;
    const vc = this.broadcast<ViewChangeMessage>({
      type: 'view-change',
      view,
      stableHeight: this.stable.height,
      checkpointProof: this.stable.proof,
      prepared: [...this.preparedCerts.values()].filter((c) => c.prePrepare.height > this.stable.height).sort(byHeight),
      sender: this.config.selfId,
    });
    this.viewChanges.store(vc);
    this.viewChanges.forgetBelow(view);
    this.tryNewView();
  }

  private onViewChange(vc: ViewChangeMessage): void {
    if (vc.view < this.currentView || (vc.view === this.currentView && !this.viewChanging)) return this.drop('stale-view');
    if (this.viewChanges.has(vc.view, vc.sender)) return this.drop('repeated');
    if (vc.view > this.currentView + this.maxFutureViews) {
      // Too far ahead to buffer, but an authentic one still counts towards joining that view, so a
      // replica that fell many views behind can find the others again.
      if (!this.verify(vc)) return this.drop('bad-signature');
      this.viewChanges.noteClaim(vc.sender, vc.view);
      this.drop('future-view');
    } else {
      if (!checkViewChange(this.context, vc, this.window).ok) return this.drop('invalid-view-change');
      this.viewChanges.store(vc);
    }
    // f+1 replicas asking for later views include an honest one, so our view is failing too:
    // join the highest view f+1 of them ask for (Castro & Liskov, section 4.5.2).
    const target = this.viewChanges.viewBackedBy(this.currentView, this.f + 1);
    if (target !== undefined) this.startViewChange(target);
    this.tryNewView();
  }

  /** As the new primary, announce the view once a quorum of view-changes is in. */
  private tryNewView(): void {
    if (!this.viewChanging || primaryOf(this.config.validators, this.currentView) !== this.config.selfId) return;
    const candidates = this.viewChanges.forView(this.currentView);
    if (candidates.length < this.quorum) return;
    const selected = candidates.sort(bySender).slice(0, this.quorum);
    const plan = computeNewViewPlan(selected);
    const prePrepares = plan.reproposals.map((r) =>
      signPbftMessage<PrePrepareMessage>(
        this.config.chainId,
        { type: 'pre-prepare', view: this.currentView, height: r.height, digest: r.digest, block: r.block, sender: this.config.selfId },
        this.config.authenticator,
      ),
    );
    const nv = this.broadcast<NewViewMessage>({ type: 'new-view', view: this.currentView, viewChanges: selected, prePrepares, sender: this.config.selfId });
    this.enterView(nv, plan);
  }

  private onNewView(nv: NewViewMessage): void {
    if (nv.view < this.currentView) return this.drop('stale-view');
    if (nv.view === this.currentView && !this.viewChanging) return this.drop('repeated');
    const checked = checkNewView(this.context, nv, this.window);
    if (!checked.ok) return this.drop('invalid-new-view');
    this.enterView(nv, checked.plan);
  }

  private enterView(nv: NewViewMessage, plan: NewViewPlan): void {
    if (nv.view !== this.currentView) this.failedViews++;
    this.currentView = nv.view;
    this.viewChanging = false;
    this.ticksWithoutProgress = 0;
    this.newView = nv;
    this.dirty = true;
    this.viewChanges.forgetBelow(nv.view + 1);
    if (plan.stableHeight > this.stable.height) {
      this.stabilize({ height: plan.stableHeight, digest: plan.stableProof[0].digest, proof: plan.stableProof });
    }
    for (const pp of nv.prePrepares) {
      if (pp.height <= this.stable.height) continue;
      // The NEW-VIEW's re-proposal replaces anything the new primary sent for this slot before it.
      const slot = this.log.slot(pp.height);
      slot.prePrepares.set(nv.view, { message: pp, reproposed: true });
      slot.verdicts.delete(nv.view);
      if (pp.sender === this.config.selfId) this.recordVote(pp);
    }
    for (const height of this.log.heights()) this.processHeight(height);
    this.tryCommit();
  }

  // ---- restart ----------------------------------------------------------------------------

  private restore(state: PbftPersistentState): void {
    this.currentView = state.view;
    this.viewChanging = state.viewChanging;
    this.lastCommitted = state.lastCommittedHeight;
    this.stable = state.stableCheckpoint;
    for (const { height, digest } of state.recentCommits) this.committedDigests.set(height, digest);
    for (const cert of state.preparedCertificates) this.preparedCerts.set(cert.prePrepare.height, cert);
    for (const vote of state.votes) this.votes.set(voteKey(vote.type, vote.view, vote.height), vote);
    if (this.viewChanging) {
      // Re-announce: the view-change we sent before crashing may have been lost with us.
      this.viewChanging = false;
      this.currentView = state.view - 1;
      this.startViewChange(state.view);
    }
  }
}

