import { describe, expect, it } from 'vitest';
import type { RaftNode, RaftNodeOptions } from '#consensus';
import { SimulationViolation } from './raft/checker.js';
import { previousTermCommitNodes } from './raft/mutants.js';
import { ScriptedCluster } from './raft/script.js';

/**
 * Hand-written schedules for classic Raft pitfalls. Each runs once against the real node,
 * which must stay safe, and once against a deliberately broken node or driver, which the
 * checker must catch: proof that these checks can fail.
 */

function violationOf(run: () => unknown): SimulationViolation | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof SimulationViolation) return error;
    throw error;
  }
  return undefined;
}

/**
 * Figure 8 of the Raft paper: an entry of an earlier term sitting on a majority may still be
 * overwritten, so it must not be committed by counting replicas.
 */
function figure8(createNode?: (options: RaftNodeOptions) => RaftNode): ScriptedCluster {
  const s = new ScriptedCluster({ ids: ['n1', 'n2', 'n3', 'n4', 'n5'], createNode });
  const { cluster, net } = s;
  // n1 leads term 1; its no-op commits everywhere.
  s.elect('n1');
  s.until(() => cluster.liveNodes().every((node) => node.commitIndex === 1));
  // Entry X (index 2, term 1) reaches n2 only; then n1 dies.
  net.partition([
    ['n1', 'n2'],
    ['n3', 'n4', 'n5'],
  ]);
  expect(cluster.propose('n1', new Uint8Array([0x58]))).toBe(true);
  s.until(() => s.node('n2').lastIndex === 2);
  cluster.crash('n1', false);
  // n5 wins term 2 with n3 and n4, but its entry Y (index 2, term 2) reaches nobody; n5 dies.
  cluster.campaign('n5');
  cluster.tick();
  net.blockLink('n5', 'n3');
  net.blockLink('n5', 'n4');
  s.until(() => s.node('n5').role === 'leader');
  expect(s.node('n5').termAt(2)).toBe(2);
  cluster.crash('n5', false);
  // n1 restarts, wins term 3 and copies X to n3 and n4: X is on a majority, its term-3 entry is not.
  net.heal();
  cluster.restart('n1');
  s.elect('n1');
  expect(s.node('n1').term).toBe(3);
  s.until(() => s.node('n3').lastIndex === 2 && s.node('n4').lastIndex === 2);
  net.blockLink('n1', 'n3');
  net.blockLink('n1', 'n4');
  s.ticks(2);
  // n1 dies; n5 comes back and wins term 4 with n3 and n4, whose last entry (term 1) is older.
  cluster.crash('n1', false);
  net.heal();
  cluster.restart('n5');
  s.elect('n5');
  s.until(() => s.node('n3').termAt(2) === 2 && s.node('n5').commitIndex === 3);
  return s;
}

/** A voter reboots between two candidacies of the same term. */
function rebootBetweenVotes(loseVoteOnRestart: boolean): ScriptedCluster {
  const s = new ScriptedCluster({ ids: ['n1', 'n2', 'n3'], loseVoteOnRestart });
  const { cluster, net } = s;
  net.blockLink('n1', 'n2');
  cluster.campaign('n1');
  s.ticks(2); // n3 grants its vote for term 1; n1 wins (n2 never heard of it)
  expect(s.node('n1').role).toBe('leader');
  expect(s.node('n1').term).toBe(1);
  expect(s.node('n2').term).toBe(0);
  net.blockLink('n1', 'n3'); // n1's first append to n3 is lost, so n3's log stays empty
  s.reboot('n3');
  cluster.campaign('n2'); // term 1 as well
  s.ticks(3);
  return s;
}

describe('scripted Raft scenarios', () => {
  it('Figure 8: the real node never commits X and rightly replaces it by Y', () => {
    const s = figure8();
    expect(s.cluster.checker.committedAt(2)?.term).toBe(2);
    expect(s.node('n3').termAt(2)).toBe(2);
  });

  it('Figure 8: a node that commits earlier-term entries by counting replicas is caught', () => {
    expect(violationOf(() => figure8(previousTermCommitNodes))?.rule).toBe('leader-completeness');
  });

  it('a persisted vote survives a reboot, so a term still has one leader', () => {
    const s = rebootBetweenVotes(false);
    expect(s.node('n3').term).toBe(1);
    expect(s.cluster.member('n3').disk.storage.initialState().vote).toBe('n1');
    expect(s.node('n1').role).toBe('leader');
    expect(s.node('n2').role).not.toBe('leader');
  });

  it('a driver that loses the vote on reboot lets two leaders share a term, and is caught', () => {
    expect(violationOf(() => rebootBetweenVotes(true))?.rule).toBe('election-safety');
  });
});
