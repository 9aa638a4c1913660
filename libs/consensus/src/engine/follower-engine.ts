import type { ConsensusType } from '#chain';
import type { AdmittedEvent, ConsensusEngine, ConsensusRole, ConsensusStatus } from './engine.js';
import type { ConsensusTransport } from './transport.js';
import { TxForwarder } from './tx-forwarder.js';

/** What a follower needs to know about the network. */
export interface FollowerOptions {
  type: ConsensusType;
  /** 'learner' (waiting for promotion), 'observer' (never votes) or 'removed'. */
  role: () => ConsensusRole;
  /** Current voters, in any order. */
  voters: () => readonly string[];
  /** Height of this node's ledger head. */
  height: () => bigint;
  /** Turns block sync's follow mode on (start) and off (stop): it is how this node gets blocks. */
  follow: (on: boolean) => void;
}

/**
 * The engine of a node that does not take part in consensus: an observer, a PBFT learner, or a
 * node the chain has not (or no longer) listed. It follows the chain by block sync (run by the
 * node, not here) and serves reads; transactions submitted to it are forwarded to a connected
 * voter, which forwards them on to its leader or primary.
 */
export class FollowerEngine implements ConsensusEngine {
  readonly type: ConsensusType;
  private readonly forwarder: TxForwarder;

  constructor(
    private readonly transport: ConsensusTransport,
    private readonly options: FollowerOptions,
  ) {
    this.type = options.type;
    this.forwarder = new TxForwarder(transport, () => this.connectedVoter());
  }

  async start(): Promise<void> {
    this.options.follow(true);
  }

  async stop(): Promise<void> {
    this.options.follow(false);
  }

  status(): ConsensusStatus {
    return { type: this.type, role: this.options.role(), commitHeight: this.options.height().toString() };
  }

  notifyTransactionsAdmitted(event: AdmittedEvent): void {
    this.forwarder.forward(event.txs);
  }

  /** The first connected voter in node-id order (stable, so forwarded batches keep their order). */
  private connectedVoter(): string | undefined {
    const connected = new Set(this.transport.connectedPeers());
    return [...this.options.voters()].sort().find((id) => connected.has(id));
  }
}
