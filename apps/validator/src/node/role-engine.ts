import { nodeSetOf, roleIn, type ConsensusType, type StateReader } from '#chain';
import type { AdmittedEvent, ConsensusEngine, ConsensusStatus } from '#consensus';

/** How this node takes part, given the chain's node set. */
export type Participation = 'consensus' | 'follower';

/**
 * Which nodes run the consensus engine: every voter; Raft learners too (the leader replicates
 * to them and they apply in log order); PBFT learners, observers and nodes the chain does not
 * list (yet, or any more) follow by block sync.
 */
export function participationOf(type: ConsensusType, state: Pick<StateReader, 'node' | 'nodeIds'>, nodeId: string): Participation {
  if (type === 'solo') return 'consensus';
  const role = roleIn(nodeSetOf(state), nodeId);
  if (role === 'voter') return 'consensus';
  if (role === 'learner' && type === 'raft') return 'consensus';
  return 'follower';
}

/** Builds the engine for a participation (a fresh one each time: engines are not restartable). */
export type EngineFactory = (participation: Participation) => Promise<ConsensusEngine>;

/**
 * The node's consensus engine across role changes: a learner that is promoted starts taking part
 * (PBFT), a voter that is removed stops (both), without a restart. The switch runs after the
 * commit that changed the role, outside the engine's own processing (an engine cannot stop
 * itself from inside its apply loop).
 */
export class RoleSwitchingEngine implements ConsensusEngine {
  readonly type: ConsensusType;
  private current!: ConsensusEngine;
  private participation!: Participation;
  private switching: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    type: ConsensusType,
    private readonly wanted: () => Participation,
    private readonly create: EngineFactory,
    private readonly log: { info(message: string): void; error(message: string): void },
  ) {
    this.type = type;
  }

  async start(): Promise<void> {
    this.participation = this.wanted();
    this.current = await this.create(this.participation);
    await this.current.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.switching;
    await this.current.stop();
  }

  status(): ConsensusStatus {
    return this.current.status();
  }

  notifyTransactionsAdmitted(event: AdmittedEvent): void {
    this.current.notifyTransactionsAdmitted(event);
  }

  /** Re-checks the node's role (call after every commit that changed the node set). */
  reconcile(): void {
    this.switching = this.switching.then(() => this.switchIfNeeded()).catch((error: unknown) => this.log.error(`consensus role switch failed: ${String(error)}`));
  }

  private async switchIfNeeded(): Promise<void> {
    if (this.stopped) return;
    const wanted = this.wanted();
    if (wanted === this.participation) return;
    this.log.info(`consensus participation: ${this.participation} → ${wanted}`);
    await this.current.stop();
    this.participation = wanted;
    this.current = await this.create(wanted);
    await this.current.start();
  }
}
