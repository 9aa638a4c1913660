import { until } from '../support/wait.js';
import type { ChaosCluster } from './chaos-cluster.js';
import type { Random } from './random.js';

/** A fault in force: how to heal it, and a check that it did what it is meant to. */
export interface InjectedFault {
  /** What was done, to whom (for the report). */
  description: string;
  /**
   * Called once the fault was held: resolves when its intended effect was observed (a new
   * leader elected away from the victim, bytes cut, syncs delayed), rejects otherwise.
   */
  confirm(): Promise<void>;
  heal(): Promise<void>;
}

/** A scripted fault; victims are chosen at injection time (by role, or with the seeded random). */
export interface Fault {
  name: string;
  inject(cluster: ChaosCluster, random: Random): Promise<InjectedFault>;
}

const CONFIRM_TIMEOUT_MS = 60_000;

/** A leader other than `victim` is recognised by a majority of the other responsive validators. */
async function leaderMovedAwayFrom(cluster: ChaosCluster, victim: string): Promise<void> {
  const others = cluster.responsive().filter((id) => id !== victim);
  await until(`a new leader away from ${victim}`, async () => {
    const leader = await cluster.leader(others);
    return leader && leader !== victim ? leader : undefined;
  }, CONFIRM_TIMEOUT_MS);
}

function others(cluster: ChaosCluster, nodeId: string): string[] {
  return cluster.nodeIds.filter((id) => id !== nodeId);
}

/** kill -9 the leader; restart it on heal (it catches up from its own ledger). */
export const killLeader: Fault = {
  name: 'kill -9 leader',
  async inject(cluster) {
    const victim = await cluster.waitLeader();
    await cluster.kill(victim);
    return { description: `kill -9 ${victim} (leader)`, confirm: () => leaderMovedAwayFrom(cluster, victim), heal: () => cluster.start(victim) };
  },
};

/** kill -9 a follower picked at random; restart on heal. */
export const killFollower: Fault = {
  name: 'kill -9 follower',
  async inject(cluster, random) {
    const leader = await cluster.waitLeader();
    const victim = random.pick(others(cluster, leader));
    await cluster.kill(victim);
    return { description: `kill -9 ${victim} (follower)`, confirm: async () => undefined, heal: () => cluster.start(victim) };
  },
};

/** SIGSTOP the leader (it hangs holding its connections); SIGCONT on heal. */
export const pauseLeader: Fault = {
  name: 'SIGSTOP leader',
  async inject(cluster) {
    const victim = await cluster.waitLeader();
    cluster.pause(victim);
    return { description: `SIGSTOP ${victim} (leader)`, confirm: () => leaderMovedAwayFrom(cluster, victim), heal: async () => cluster.resume(victim) };
  },
};

/** The leader can neither reach nor be reached by anyone (bytes blackholed both ways). */
export const isolateLeader: Fault = {
  name: 'partition leader | rest',
  async inject(cluster) {
    const victim = await cluster.waitLeader();
    const held = cluster.mesh.stats().heldChunks;
    cluster.mesh.partition([[victim], others(cluster, victim)]);
    return {
      description: `partition {${victim}} | {${others(cluster, victim).join(', ')}}`,
      confirm: async () => {
        await leaderMovedAwayFrom(cluster, victim);
        if (cluster.mesh.stats().heldChunks === held) throw new Error('the partition held no bytes');
      },
      heal: async () => cluster.mesh.heal(),
    };
  },
};

/** Everything the leader sends is lost; it still hears everyone. */
export const dropLeaderOutbound: Fault = {
  name: 'one-way drop leader → rest',
  async inject(cluster) {
    const victim = await cluster.waitLeader();
    const dropped = cluster.mesh.stats().droppedBytes;
    cluster.mesh.dropOutbound(victim);
    return {
      description: `drop ${victim} (leader) → {${others(cluster, victim).join(', ')}}`,
      confirm: async () => {
        await leaderMovedAwayFrom(cluster, victim);
        if (cluster.mesh.stats().droppedBytes === dropped) throw new Error('the one-way drop lost no bytes');
      },
      heal: async () => cluster.mesh.heal(),
    };
  },
};

/** Two halves that cannot reach each other: no side has a quorum, so nothing may commit. */
export const splitHalves: Fault = {
  name: 'partition 2 | 2',
  async inject(cluster, random) {
    const shuffled = random.shuffle(cluster.nodeIds);
    const half = Math.floor(shuffled.length / 2);
    const groups = [shuffled.slice(0, half).sort(), shuffled.slice(half).sort()];
    const held = cluster.mesh.stats().heldChunks;
    cluster.mesh.partition(groups);
    return {
      description: `partition {${groups[0].join(', ')}} | {${groups[1].join(', ')}}`,
      confirm: async () => {
        if (cluster.mesh.stats().heldChunks === held) throw new Error('the partition held no bytes');
      },
      heal: async () => cluster.mesh.heal(),
    };
  },
};

/** Every fsync of the leader takes `delayMs`; with `thenKill`, it is killed -9 while slow. */
export function slowDiskLeader(delayMs: number, thenKill: boolean): Fault {
  return {
    name: thenKill ? `slow fsync (${delayMs} ms) leader, then kill -9` : `slow fsync (${delayMs} ms) leader`,
    async inject(cluster) {
      const victim = await cluster.waitLeader();
      const disk = cluster.disks.get(victim);
      if (!disk) throw new Error(`${victim} was started without the slow-disk shim`);
      const delayed = disk.delayedCalls();
      disk.setDelay(delayMs);
      let killed = false;
      return {
        description: `fsync +${delayMs} ms on ${victim} (leader)${thenKill ? ', kill -9 while slow' : ''}`,
        confirm: async () => {
          await until(`delayed syncs on ${victim}`, async () => (disk.delayedCalls() > delayed ? true : undefined), CONFIRM_TIMEOUT_MS);
          if (thenKill) {
            await cluster.kill(victim);
            killed = true;
          }
        },
        heal: async () => {
          disk.setDelay(0);
          if (killed) await cluster.start(victim);
        },
      };
    },
  };
}
