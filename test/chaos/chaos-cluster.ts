import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccordClient } from '#sdk';
import { clockSkewEnv } from '../helpers/clock-skew/index.js';
import { SlowDisk } from '../helpers/slow-fsync/index.js';
import { createClusterFiles, startClusterNode, type ClusterFiles, type ClusterNode } from '../support/cluster.js';
import { runAccord } from '../support/process.js';
import { tempDir } from '../support/temp.js';
import { until } from '../support/wait.js';
import { ProxyMesh } from './proxy-mesh.js';

/** Faults a validator carries from its start. */
export interface NodeFaults {
  /** Wall clock offset in seconds (libfaketime). */
  clockSkewSeconds?: number;
  /** fsync/fdatasync go through the slow-disk shim (delay 0 until set). */
  slowDisk?: boolean;
}

/** What the checker needs of one block. */
export interface BlockSummary {
  height: number;
  hash: string;
  stateRoot: string;
  txHashes: string[];
}

/**
 * A real multi-process validator cluster whose validators reach each other only through a
 * {@link ProxyMesh}, with the process-level faults a chaos scenario injects.
 */
export class ChaosCluster {
  readonly nodes = new Map<string, ClusterNode>();
  /** Every process ever started, for logs. */
  readonly started: ClusterNode[] = [];
  readonly paused = new Set<string>();
  readonly disks = new Map<string, SlowDisk>();

  private constructor(
    readonly dir: { path: string; cleanup(): void },
    readonly files: ClusterFiles,
    readonly mesh: ProxyMesh,
    private readonly faults: Readonly<Record<string, NodeFaults>>,
  ) {}

  static async create(options: { consensus: 'raft' | 'pbft'; validators: number; members: number; faults?: Record<string, NodeFaults> }): Promise<ChaosCluster> {
    const dir = tempDir(`chaos-${options.consensus}`);
    const files = await createClusterFiles(dir.path, { validators: options.validators, consensus: options.consensus, members: options.members, balance: '1000000000000' });
    const mesh = await ProxyMesh.create(new Map(files.genesis.validators.map((v) => [v.nodeId, v.p2pAddress])));
    const cluster = new ChaosCluster(dir, files, mesh, options.faults ?? {});
    for (const [nodeId, faults] of Object.entries(cluster.faults)) {
      if (!faults.slowDisk) continue;
      const diskDir = join(dir.path, nodeId, 'slow-disk');
      mkdirSync(diskDir, { recursive: true });
      cluster.disks.set(nodeId, new SlowDisk(diskDir));
    }
    return cluster;
  }

  get nodeIds(): string[] {
    return this.files.nodeIds;
  }

  private envFor(nodeId: string): NodeJS.ProcessEnv {
    const faults = this.faults[nodeId] ?? {};
    const disk = this.disks.get(nodeId);
    const diskEnv = disk ? disk.env() : {};
    const skewEnv = faults.clockSkewSeconds !== undefined ? clockSkewEnv(faults.clockSkewSeconds, diskEnv.LD_PRELOAD) : {};
    return { ...diskEnv, ...skewEnv, ACCORD_P2P_DIAL_OVERRIDES: JSON.stringify(this.mesh.dialOverrides(nodeId)) };
  }

  async startAll(): Promise<void> {
    await Promise.all(this.nodeIds.map((id) => this.start(id)));
  }

  async start(nodeId: string): Promise<void> {
    const node = await startClusterNode(this.files, nodeId, this.envFor(nodeId));
    this.nodes.set(nodeId, node);
    this.started.push(node);
  }

  async kill(nodeId: string): Promise<void> {
    const node = this.nodes.get(nodeId);
    if (!node) return;
    node.process.child.kill('SIGKILL');
    await node.process.exited;
    this.nodes.delete(nodeId);
    this.paused.delete(nodeId);
  }

  pause(nodeId: string): void {
    this.nodes.get(nodeId)?.process.child.kill('SIGSTOP');
    this.paused.add(nodeId);
  }

  resume(nodeId: string): void {
    this.nodes.get(nodeId)?.process.child.kill('SIGCONT');
    this.paused.delete(nodeId);
  }

  /** Running and not paused. */
  responsive(): string[] {
    return [...this.nodes.keys()].filter((id) => !this.paused.has(id));
  }

  client(nodeId: string, timeoutMs = 5000): AccordClient {
    const node = this.nodes.get(nodeId);
    if (!node) throw new Error(`${nodeId} is not running`);
    return new AccordClient(node.url, timeoutMs);
  }

  /** The leader (Raft) or primary (PBFT) a majority of `among` report, if any. */
  async leader(among = this.responsive()): Promise<string | undefined> {
    const reports = await Promise.all(among.map((id) => this.client(id, 2000).status().then((s) => s.consensus.leaderId, () => undefined)));
    const votes = new Map<string, number>();
    for (const id of reports) if (id) votes.set(id, (votes.get(id) ?? 0) + 1);
    const quorum = Math.floor(this.nodeIds.length / 2) + 1;
    return [...votes].find(([id, count]) => count >= Math.min(quorum, among.length) && among.includes(id))?.[0];
  }

  async waitLeader(among = this.responsive(), timeoutMs = 60_000): Promise<string> {
    return until(`a leader among ${among.join(', ')}`, () => this.leader(among), timeoutMs);
  }

  async height(nodeId: string): Promise<number> {
    return (await this.client(nodeId).status()).height;
  }

  /** Blocks 1..`upTo` of one node. */
  async chain(nodeId: string, upTo: number): Promise<BlockSummary[]> {
    const client = this.client(nodeId, 30_000);
    const blocks: BlockSummary[] = [];
    for (let from = 1; from <= upTo; from += 25) {
      const page = await Promise.all(Array.from({ length: Math.min(25, upTo - from + 1) }, (_, i) => client.getBlock(from + i)));
      blocks.push(...page.map((b) => ({ height: b.height, hash: b.hash, stateRoot: String(b.header.stateRoot), txHashes: b.txHashes })));
    }
    return blocks;
  }

  /** Stops every validator with SIGTERM (resuming paused ones first) and waits for the exits. */
  async stopGracefully(): Promise<void> {
    for (const id of [...this.paused]) this.resume(id);
    await Promise.all(
      [...this.nodes.values()].map(async (node) => {
        node.process.child.kill('SIGTERM');
        const timer = setTimeout(() => node.process.child.kill('SIGKILL'), 20_000);
        await node.process.exited;
        clearTimeout(timer);
      }),
    );
    this.nodes.clear();
  }

  /** `accord ledger verify` on each stopped validator's data directory. */
  async verifyLedgers(): Promise<Array<{ nodeId: string; code: number | null; verdict: string }>> {
    const results = [];
    for (const nodeId of this.nodeIds) {
      const { code, output } = await runAccord(['ledger', 'verify', '--genesis', this.files.genesisPath, '--data-dir', this.files.dataDir(nodeId), '--no-progress']);
      results.push({ nodeId, code, verdict: output.trim().split('\n').pop() ?? '' });
    }
    return results;
  }

  /** The tail of every validator's output, for a failure message. */
  logs(chars = 2000): string {
    return this.started.map((n) => `--- ${n.nodeId} (pid ${n.process.child.pid}) ---\n${n.process.output().slice(-chars)}`).join('\n');
  }

  /** Whether a library is mapped into a running validator (a preload took effect). */
  hasLoaded(nodeId: string, fragment: string): boolean {
    const pid = this.nodes.get(nodeId)?.process.child.pid;
    return pid !== undefined && readFileSync(`/proc/${pid}/maps`, 'utf8').includes(fragment);
  }

  async dispose(): Promise<void> {
    for (const node of this.nodes.values()) {
      node.process.child.kill('SIGCONT');
      node.process.child.kill('SIGKILL');
    }
    this.nodes.clear();
    await this.mesh.close();
    this.dir.cleanup();
  }
}
