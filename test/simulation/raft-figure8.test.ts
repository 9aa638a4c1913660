import { describe, expect, it } from 'vitest';
import { SeededRandom, type RaftNode, type RaftNodeOptions } from '#consensus';
import { SimNetwork } from './net.js';
import { TraceHash } from './trace.js';
import { SimulationViolation } from './raft/checker.js';
import { RaftCluster } from './raft/cluster.js';
import { previousTermCommitNodes } from './raft/mutants.js';

/**
 * Figure 8 of the Raft paper, scripted on the simulator: an entry of an earlier term that sits
 * on a majority may still be overwritten, so it must not be committed by counting replicas.
 * The real node survives the script; a node that commits earlier-term entries is caught.
 */

const ids = ['n1', 'n2', 'n3', 'n4', 'n5'];

function figure8(createNode?: (options: RaftNodeOptions) => RaftNode): RaftCluster {
  const net = new SimNetwork<Uint8Array>(ids, new SeededRandom(1), { minDelayTicks: 1, maxDelayTicks: 1 });
  const cluster = new RaftCluster(
    {
      ids,
      // No spontaneous elections or heartbeats: the script decides; one entry per append.
      raft: { electionTicks: 1000, heartbeatTicks: 999, preVote: false, checkQuorum: false, maxSizePerMsgBytes: 1 },
      compactThreshold: Number.MAX_SAFE_INTEGER,
      compactKeep: 0,
      createNode,
    },
    net,
    new SeededRandom(2),
    new TraceHash(),
  );
  const node = (id: string): RaftNode => {
    const found = cluster.member(id).node;
    if (found === undefined) throw new Error(`${id} is down`);
    return found;
  };
  const until = (condition: () => boolean): void => {
    for (let t = 0; t < 20 && !condition(); t++) cluster.tick();
    expect(condition()).toBe(true);
  };
  const elect = (id: string): void => {
    for (let round = 0; round < 4 && node(id).role !== 'leader'; round++) {
      cluster.campaign(id);
      for (let t = 0; t < 3; t++) cluster.tick();
    }
    expect(node(id).role).toBe('leader');
  };

  // n1 leads term 1; its no-op commits everywhere.
  elect('n1');
  until(() => ids.every((id) => node(id).commitIndex === 1));
  // Entry X (index 2, term 1) reaches n2 only; then n1 dies.
  net.partition([
    ['n1', 'n2'],
    ['n3', 'n4', 'n5'],
  ]);
  expect(cluster.propose('n1', new Uint8Array([0x58]))).toBe(true);
  until(() => node('n2').lastIndex === 2);
  cluster.crash('n1', false);
  // n5 wins term 2 with n3 and n4, but its entry Y (index 2, term 2) reaches nobody; n5 dies.
  cluster.campaign('n5');
  cluster.tick();
  net.blockLink('n5', 'n3');
  net.blockLink('n5', 'n4');
  until(() => node('n5').role === 'leader');
  expect(node('n5').termAt(2)).toBe(2);
  cluster.crash('n5', false);
  // n1 restarts, wins term 3 and copies X to n3 and n4: X is on a majority, its term-3 entry is not.
  net.heal();
  cluster.restart('n1');
  elect('n1');
  expect(node('n1').term).toBe(3);
  until(() => node('n3').lastIndex === 2 && node('n4').lastIndex === 2);
  net.blockLink('n1', 'n3');
  net.blockLink('n1', 'n4');
  cluster.tick();
  cluster.tick();
  // n1 dies; n5 comes back and wins term 4 with n3 and n4, whose last entry (term 1) is older.
  cluster.crash('n1', false);
  net.heal();
  cluster.restart('n5');
  elect('n5');
  until(() => node('n3').termAt(2) === 2 && node('n5').commitIndex === 3);
  return cluster;
}

describe('Figure 8 on the simulator', () => {
  it('keeps the real node safe: X is never committed and is rightly replaced by Y', () => {
    const cluster = figure8();
    expect(cluster.checker.committedAt(2)?.term).toBe(2);
    expect(cluster.member('n3').node?.termAt(2)).toBe(2);
  });

  it('catches a node that commits an earlier-term entry by counting replicas', () => {
    let caught: unknown;
    try {
      figure8(previousTermCommitNodes);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SimulationViolation);
    expect((caught as SimulationViolation).rule).toBe('leader-completeness');
  });
});
