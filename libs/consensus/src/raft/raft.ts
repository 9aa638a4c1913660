import { AccordError } from '#common';
import type { RandomSource } from '../random.js';
import { RaftLog } from './log.js';
import type {
  AppendMessage,
  HeartbeatMessage,
  RaftMessage,
  SnapshotMessage,
  VoteMessage,
} from './messages.js';
import { answerAppend, answerSyncRequest, appendResponse, type SyncTarget } from './follower.js';
import { Progress, ProgressTracker } from './progress.js';
import { Replicator } from './replication.js';
import type { RaftStorage } from './storage.js';
import {
  DEFAULT_RAFT_CONFIG,
  validateRaftConfig,
  NO_NODE,
  type HardState,
  type RaftConfig,
  type RaftRole,
  type SoftState,
} from './types.js';

export type { SyncTarget } from './follower.js';

/** Everything needed to build a Raft state machine. */
export interface RaftOptions {
  /** This node's id. */
  readonly id: string;
  /** Voting members of the cluster; `id` is added unless it is listed here or as a learner. */
  readonly peers: readonly string[];
  /** Non-voting members that receive the log. */
  readonly learners?: readonly string[];
  /** Stable storage holding the hard state and the log written by earlier Readys. */
  readonly storage: RaftStorage;
  /** Randomness for election timeouts. */
  readonly random: RandomSource;
  readonly config?: Partial<RaftConfig>;
  /** Highest index the application has durably applied (entries up to it are not re-delivered). */
  readonly appliedIndex?: number;
}

/** Outcome of `propose`: accepted with the entry's position, or refused with the known leader. */
export type ProposeResult =
  | { readonly accepted: true; readonly index: number; readonly term: number }
  | { readonly accepted: false; readonly code: 'RAFT_NOT_LEADER'; readonly leaderId: string | undefined };

/**
 * The Raft consensus algorithm as a deterministic state machine (modelled on etcd-io/raft):
 * inputs are `tick`, `step` and `propose`; outputs accumulate in `msgs`, the log's unstable tail
 * and the hard state, which `RaftNode` packages into `RaftReady` batches.
 */
export class Raft {
  /** This node's id. */
  readonly id: string;
  /** Effective configuration (defaults filled in, validated). */
  readonly config: RaftConfig;
  /** The log with its commit and apply cursors. */
  readonly log: RaftLog;
  /** Membership, per-peer replication progress and vote tallies. */
  readonly tracker: ProgressTracker;
  /** Current term (persisted). */
  term = 0;
  /** Candidate voted for in `term`, or `NO_NODE` (persisted). */
  vote = NO_NODE;
  /** Leader of `term` as far as we know, or `NO_NODE`. */
  leaderId = NO_NODE;
  /** Current role. */
  role: RaftRole = 'follower';
  /** Ticks since the last election timeout reset (for a leader: since the last quorum check). */
  electionElapsed = 0;
  /** Ticks since the leader's last heartbeat round. */
  heartbeatElapsed = 0;
  /** This round's election timeout, drawn in [electionTicks, 2 * electionTicks). */
  randomizedElectionTimeout = 0;
  /** Outbox, drained by `RaftNode.ready`. */
  msgs: RaftMessage[] = [];
  /** Set when the leader told us to sync blocks out of band. */
  pendingSync: SyncTarget | undefined;

  private readonly random: RandomSource;
  private readonly replicator: Replicator;

  constructor(options: RaftOptions) {
    this.id = options.id;
    this.random = options.random;
    this.config = validateRaftConfig({ ...DEFAULT_RAFT_CONFIG, ...options.config });
    const learners = options.learners ?? [];
    const isMember = options.peers.includes(options.id) || learners.includes(options.id);
    const voters = isMember ? [...options.peers] : [...options.peers, options.id];
    this.tracker = new ProgressTracker(voters, learners);
    this.log = new RaftLog(options.storage, options.appliedIndex);
    this.replicator = new Replicator({
      id: this.id,
      log: this.log,
      tracker: this.tracker,
      config: this.config,
      term: () => this.term,
      send: (m) => this.send(m),
      maybeCommit: () => this.maybeCommit(),
    });
    const hardState = options.storage.initialState();
    this.term = hardState.term;
    this.vote = hardState.vote;
    this.becomeFollower(this.term, NO_NODE);
  }

  /** The state to persist. */
  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }

  /** The observable volatile state. */
  softState(): SoftState {
    return { leaderId: this.leaderId, role: this.role };
  }

  /** True when this node may campaign (it is a voter). */
  promotable(): boolean {
    return this.tracker.voters.includes(this.id);
  }

  /** Advances logical time by one tick. */
  tick(): void {
    if (this.role === 'leader') this.tickLeader();
    else this.tickElection();
  }

  /** Starts an election now (as if the election timeout fired). */
  campaignNow(): void {
    if (this.role !== 'leader' && this.promotable()) this.campaign(this.config.preVote ? 'preVote' : 'vote');
  }

  /** Appends `data` as a new entry when leader; otherwise tells the caller whom to ask. */
  propose(data: Uint8Array): ProposeResult {
    if (this.role !== 'leader') {
      return { accepted: false, code: 'RAFT_NOT_LEADER', leaderId: this.leaderId === NO_NODE ? undefined : this.leaderId };
    }
    const index = this.appendEntries([data]);
    this.replicator.broadcastAppend();
    return { accepted: true, index, term: this.term };
  }

  /** Processes one message from a peer. Messages for other nodes or from strangers are ignored. */
  step(m: RaftMessage): void {
    if (m.to !== this.id || !this.tracker.progress.has(m.from)) return;
    if (m.term > this.term) {
      if (m.type === 'vote' || m.type === 'preVote') {
        // Leader lease: while we hear from a leader, nobody can start a new term through us.
        const inLease = this.config.checkQuorum && this.leaderId !== NO_NODE && this.electionElapsed < this.config.electionTicks;
        if (inLease) return;
      }
      if (m.type === 'preVote' || (m.type === 'preVoteResponse' && !m.reject)) {
        // A pre-vote never changes terms; a granted pre-vote carries the campaign's future term.
      } else if (m.type === 'append' || m.type === 'heartbeat' || m.type === 'snapshot') {
        this.becomeFollower(m.term, m.from);
      } else {
        this.becomeFollower(m.term, NO_NODE);
      }
    } else if (m.term < this.term) {
      if ((this.config.checkQuorum || this.config.preVote) && (m.type === 'heartbeat' || m.type === 'append')) {
        // A stale leader that cannot win elections any more must learn our term to step down.
        this.send(appendResponse(this.id, m.from, this.term, 0));
      } else if (m.type === 'preVote') {
        this.send({ type: 'preVoteResponse', from: this.id, to: m.from, term: this.term, reject: true });
      }
      return;
    }
    if (m.type === 'vote' || m.type === 'preVote') {
      this.handleVoteRequest(m);
      return;
    }
    switch (this.role) {
      case 'leader':
        this.replicator.stepLeader(m);
        break;
      case 'follower':
        this.stepFollower(m);
        break;
      default:
        this.stepCandidate(m);
    }
  }

  /**
   * The application synced committed blocks up to (index, term) out of band: adopt that point.
   * Returns false (and changes nothing) when the node already had it committed or leads.
   */
  restoreFrom(index: number, term: number): boolean {
    if (this.pendingSync !== undefined && this.pendingSync.index <= index) this.pendingSync = undefined;
    // A leader already holds every committed entry; replacing its log could only lose some.
    if (index <= this.log.committed || this.role === 'leader') return false;
    if (this.log.matchTerm(index, term)) {
      // Our log already holds that prefix: just fast-forward the cursors.
      this.log.commitTo(index);
      this.log.applied = index;
    } else {
      this.log.restore({ index, term });
    }
    if (this.leaderId !== NO_NODE) this.send(appendResponse(this.id, this.leaderId, this.term, this.log.lastIndex()));
    return true;
  }

  /**
   * Applies a committed membership change. Changes come one at a time (one per block, each
   * applied before the next block is proposed), so old and new majorities always overlap.
   * A leader that is no longer a voter steps down; one whose quorum shrank may commit at once.
   */
  applyMembership(voters: readonly string[], learners: readonly string[]): void {
    this.tracker.setMembership(voters, learners, this.log.lastIndex() + 1, this.config.maxInflightMsgs);
    if (this.role !== 'leader') return;
    if (!voters.includes(this.id)) {
      this.becomeFollower(this.term, NO_NODE);
      return;
    }
    this.selfProgress().match = this.log.lastIndex();
    this.maybeCommit();
    this.replicator.broadcastAppend();
  }

  /** Transitions to follower of `leaderId` in `term`. */
  becomeFollower(term: number, leaderId: string): void {
    this.reset(term);
    this.leaderId = leaderId;
    this.role = 'follower';
  }

  /** Transitions to leader; only a candidate that won its election may. */
  becomeLeader(): void {
    if (this.role !== 'candidate') throw new AccordError('RAFT_INVALID_TRANSITION', `${this.role} cannot become leader`);
    this.reset(this.term);
    this.leaderId = this.id;
    this.role = 'leader';
    const self = this.selfProgress();
    self.becomeReplicate();
    self.recentActive = true;
    // A no-op entry of the new term lets the leader commit earlier-term entries (§5.4.2).
    this.appendEntries([new Uint8Array(0)]);
  }

  /**
   * Commits the highest index replicated on a quorum, but only if that entry is from the
   * current term (Figure 8 of the Raft paper): earlier-term entries commit indirectly.
   */
  protected maybeCommit(): boolean {
    const index = this.tracker.committedIndex();
    if (index > this.log.committed && this.log.term(index) === this.term) {
      this.log.commitTo(index);
      return true;
    }
    return false;
  }

  private tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.campaign(this.config.preVote ? 'preVote' : 'vote');
    }
  }

  private tickLeader(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.config.electionTicks) {
      this.electionElapsed = 0;
      if (this.config.checkQuorum && !this.tracker.quorumActive(this.id)) {
        this.becomeFollower(this.term, NO_NODE);
        return;
      }
    }
    for (const pr of this.tracker.progress.values()) {
      // A follower that never finished its out-of-band sync is probed again, which re-sends it.
      if (pr.state === 'snapshot' && ++pr.snapshotElapsedTicks >= 2 * this.config.electionTicks) pr.becomeProbe();
    }
    if (this.heartbeatElapsed >= this.config.heartbeatTicks) {
      this.heartbeatElapsed = 0;
      this.replicator.broadcastHeartbeat();
    }
  }

  private campaign(kind: 'vote' | 'preVote'): void {
    let term: number;
    if (kind === 'preVote') {
      this.reset(this.term);
      this.role = 'preCandidate';
      term = this.term + 1;
    } else {
      this.reset(this.term + 1);
      this.vote = this.id;
      this.role = 'candidate';
      term = this.term;
    }
    if (this.tracker.recordVote(this.id, true).result === 'won') {
      this.electionWon();
      return;
    }
    for (const to of this.tracker.voters) {
      if (to === this.id) continue;
      this.send({ type: kind, from: this.id, to, term, index: this.log.lastIndex(), logTerm: this.log.lastTerm() });
    }
  }

  private electionWon(): void {
    if (this.role === 'preCandidate') {
      this.campaign('vote');
    } else {
      this.becomeLeader();
      this.replicator.broadcastAppend();
    }
  }

  private handleVoteRequest(m: VoteMessage): void {
    const responseType = m.type === 'vote' ? 'voteResponse' : 'preVoteResponse';
    const canVote =
      this.vote === m.from ||
      (this.vote === NO_NODE && this.leaderId === NO_NODE) ||
      (m.type === 'preVote' && m.term > this.term);
    if (canVote && this.log.isUpToDate(m.index, m.logTerm)) {
      this.send({ type: responseType, from: this.id, to: m.from, term: m.term, reject: false });
      if (m.type === 'vote') {
        this.electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.send({ type: responseType, from: this.id, to: m.from, term: this.term, reject: true });
    }
  }

  private stepFollower(m: RaftMessage): void {
    if (m.type === 'append' || m.type === 'heartbeat' || m.type === 'snapshot') {
      this.electionElapsed = 0;
      this.leaderId = m.from;
      this.handleLeaderMessage(m);
    }
  }

  private stepCandidate(m: RaftMessage): void {
    if (m.type === 'append' || m.type === 'heartbeat' || m.type === 'snapshot') {
      this.becomeFollower(m.term, m.from);
      this.handleLeaderMessage(m);
      return;
    }
    const expected = this.role === 'preCandidate' ? 'preVoteResponse' : 'voteResponse';
    if (m.type !== expected) return;
    const tally = this.tracker.recordVote(m.from, !m.reject);
    if (tally.result === 'won') this.electionWon();
    else if (tally.result === 'lost') this.becomeFollower(this.term, NO_NODE);
  }

  private handleLeaderMessage(m: AppendMessage | HeartbeatMessage | SnapshotMessage): void {
    if (m.type === 'append') {
      this.send(answerAppend(this.log, this.id, this.term, m));
    } else if (m.type === 'heartbeat') {
      this.log.commitTo(m.commit);
      this.send({ type: 'heartbeatResponse', from: this.id, to: m.from, term: this.term });
    } else {
      const { response, pendingSync } = answerSyncRequest(this.log, this.id, this.term, m, this.pendingSync);
      if (response) this.send(response);
      if (pendingSync) this.pendingSync = pendingSync;
    }
  }

  private appendEntries(payloads: readonly Uint8Array[]): number {
    const first = this.log.lastIndex() + 1;
    const last = this.log.append(payloads.map((data, i) => ({ term: this.term, index: first + i, data })));
    this.selfProgress().maybeUpdate(last);
    this.maybeCommit();
    return last;
  }

  private reset(term: number): void {
    if (term !== this.term) {
      this.term = term;
      this.vote = NO_NODE;
    }
    this.leaderId = NO_NODE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout = this.config.electionTicks + this.random.nextInt(this.config.electionTicks);
    this.tracker.resetVotes();
    this.tracker.reset(this.log.lastIndex() + 1, this.config.maxInflightMsgs);
    // A node removed from the configuration has no progress of its own; it only follows.
    const self = this.tracker.progress.get(this.id);
    if (self) self.match = this.log.lastIndex();
  }

  private selfProgress(): Progress {
    const pr = this.tracker.progress.get(this.id);
    if (pr === undefined) throw new AccordError('RAFT_NOT_MEMBER', `${this.id} is not in its own configuration`);
    return pr;
  }

  private send(m: RaftMessage): void {
    this.msgs.push(m);
  }
}
