import { expect } from 'vitest';
import { SeededRandom, type RaftConfig, type RaftNode, type RaftNodeOptions } from '#consensus';
import { SimNetwork } from '../net.js';
import { TraceHash } from '../trace.js';
import { RaftCluster } from './cluster.js';

/** Knobs of a scripted scenario. */
export interface ScriptOptions {
  readonly ids: readonly string[];
  readonly createNode?: (options: RaftNodeOptions) => RaftNode;
  readonly loseVoteOnRestart?: boolean;
}

/**
 * A cluster for hand-written scenarios: one-tick delays, no loss, and no spontaneous elections
 * or heartbeats, so that the script alone decides who campaigns and which links carry what.
 */
export class ScriptedCluster {
  readonly net: SimNetwork<Uint8Array>;
  readonly cluster: RaftCluster;

  constructor(options: ScriptOptions) {
    this.net = new SimNetwork<Uint8Array>(options.ids, new SeededRandom(1), { minDelayTicks: 1, maxDelayTicks: 1 });
    const raft: Partial<RaftConfig> = {
      electionTicks: 1000,
      heartbeatTicks: 999,
      preVote: false,
      checkQuorum: false,
      maxSizePerMsgBytes: 1, // one entry per append, so replication can be cut between entries
    };
    this.cluster = new RaftCluster(
      {
        ids: options.ids,
        raft,
        compactThreshold: Number.MAX_SAFE_INTEGER,
        compactKeep: 0,
        createNode: options.createNode,
        loseVoteOnRestart: options.loseVoteOnRestart,
      },
      this.net,
      new SeededRandom(2),
      new TraceHash(),
    );
  }

  /** The live node `id` (fails the test if it is down). */
  node(id: string): RaftNode {
    const found = this.cluster.member(id).node;
    if (found === undefined) throw new Error(`${id} is down`);
    return found;
  }

  /** Ticks until `condition` holds, failing the test after 20 ticks. */
  until(condition: () => boolean): void {
    for (let t = 0; t < 20 && !condition(); t++) this.cluster.tick();
    expect(condition()).toBe(true);
  }

  /** Ticks `count` times. */
  ticks(count: number): void {
    for (let t = 0; t < count; t++) this.cluster.tick();
  }

  /** Campaigns (again, in a new term, if needed) until `id` leads. */
  elect(id: string): void {
    for (let round = 0; round < 4 && this.node(id).role !== 'leader'; round++) {
      this.cluster.campaign(id);
      this.ticks(3);
    }
    expect(this.node(id).role).toBe('leader');
  }

  /** Crashes `id` and restarts it from its disk at once. */
  reboot(id: string): void {
    this.cluster.crash(id, false);
    this.cluster.restart(id);
  }
}
