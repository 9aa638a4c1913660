import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transaction } from '#chain';
import { AccordClient, verifyBlockCertificate, verifyReceipt } from '#sdk';
import { testAccount, transfer } from '../support/chain-fixtures.js';
import { createClusterFiles, startClusterNode, type ClusterFiles, type ClusterNode } from '../support/cluster.js';
import { requireBuild } from '../support/process.js';
import { tempDir } from '../support/temp.js';
import { until } from '../support/wait.js';

const sink = testAccount('member-3');

interface PbftStatus {
  height: number;
  headHash: string;
  consensus: { role: string; leaderId?: string; epoch?: string };
}

/** A 4-validator PBFT network of real processes, each with its own SQLite ledger. */
class PbftCluster {
  readonly nodes = new Map<string, ClusterNode>();
  /** Every process ever started, killed ones included, for their logs. */
  readonly started: ClusterNode[] = [];
  files!: ClusterFiles;
  private readonly nonces = new Map<string, bigint>();

  constructor(
    readonly dir: { path: string; cleanup(): void },
    private readonly senders: ReturnType<typeof testAccount>[],
  ) {}

  async start(envFor: (nodeId: string) => NodeJS.ProcessEnv = () => ({})): Promise<void> {
    this.files = await createClusterFiles(this.dir.path, { validators: 4, consensus: 'pbft' });
    const started = await Promise.all(this.files.nodeIds.map((id) => startClusterNode(this.files, id, envFor(id))));
    for (const node of started) this.nodes.set(node.nodeId, node);
    this.started.push(...started);
  }

  /** No validator hit a driver failure or a committed block it could not apply. */
  expectCleanLogs(): void {
    for (const node of this.started) expect(node.process.output(), node.nodeId).not.toMatch(/pbft driver failed|does not apply here|ready handling failed/);
  }

  client(nodeId: string): AccordClient {
    const node = this.nodes.get(nodeId);
    if (!node) throw new Error(`${nodeId} is not running`);
    return new AccordClient(node.url, 10_000);
  }

  async status(nodeId: string): Promise<PbftStatus> {
    return (await this.client(nodeId).status()) as PbftStatus;
  }

  /**
   * The primary and view that a quorum (3) of the running validators report. One replica's word
   * is not enough: one that timed out alone sits in a view change while the rest carry on.
   */
  async agreedPrimary(): Promise<{ primary: string; view: number }> {
    return until('a primary a quorum agrees on', async () => {
      const reports = (await Promise.all([...this.nodes.keys()].map((id) => this.status(id)))).map((s) => s.consensus);
      const sameAs = (a: PbftStatus['consensus'], b: PbftStatus['consensus']): boolean => a.leaderId === b.leaderId && a.epoch === b.epoch;
      const agreed = reports.find((report) => report.leaderId !== undefined && reports.filter((other) => sameAs(other, report)).length >= 3);
      return agreed && { primary: agreed.leaderId as string, view: Number(agreed.epoch) };
    }, 60_000);
  }

  nextTransfer(index: number): Transaction {
    const sender = this.senders[index % this.senders.length];
    const nonce = this.nonces.get(sender.publicKeyHex) ?? 0n;
    this.nonces.set(sender.publicKeyHex, nonce + 1n);
    return transfer(sender, sink, 1n, nonce);
  }

  /**
   * Submits transfers to `targets`, waiting for each to commit. A sender's consecutive nonces go
   * to different validators, so every pool sees nonce gaps that only the others fill.
   */
  async submitAndCommit(count: number, offset: number, targets = [...this.nodes.keys()]): Promise<string[]> {
    return Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const tx = this.nextTransfer(offset + i);
        const client = this.client(targets[Math.floor(i / this.senders.length) % targets.length]);
        await client.submit(tx);
        expect((await client.waitForCommit(tx.hashHex, 60_000)).status).toBe('committed');
        return tx.hashHex;
      }),
    );
  }

  async kill(nodeId: string): Promise<void> {
    const node = this.nodes.get(nodeId) as ClusterNode;
    node.process.child.kill('SIGKILL');
    await node.process.exited;
    this.nodes.delete(nodeId);
  }

  async restart(nodeId: string): Promise<void> {
    const node = await startClusterNode(this.files, nodeId);
    this.nodes.set(nodeId, node);
    this.started.push(node);
  }

  /**
   * Blocks keep coming (idle primaries propose empty ones), so ledgers are compared at one
   * height every node has reached: same block hash and state root everywhere.
   */
  async expectIdenticalAt(ids: string[], minimumHeight: number): Promise<number> {
    const height = Math.max(minimumHeight, ...(await Promise.all(ids.map(async (id) => (await this.status(id)).height))));
    await until(`every node at height ${height}`, async () => ((await Promise.all(ids.map(async (id) => (await this.status(id)).height))).every((h) => h >= height) ? true : undefined), 60_000);
    const blocks = await Promise.all(ids.map((id) => this.client(id).getBlock(height)));
    expect(new Set(blocks.map((b) => b.hash)).size).toBe(1);
    expect(new Set(blocks.map((b) => String(b.header.stateRoot))).size).toBe(1);
    return height;
  }

  stopAll(): void {
    for (const node of this.nodes.values()) node.process.child.kill('SIGKILL');
    this.dir.cleanup();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('PBFT: 4 validator processes over mutual TLS on SQLite', () => {
  const cluster = new PbftCluster(tempDir('pbft-cluster'), [0, 1, 2].map((i) => testAccount(`member-${i}`)));
  const acknowledged: string[] = [];

  beforeAll(async () => {
    requireBuild();
    await cluster.start();
  }, 120_000);

  afterAll(() => cluster.stopAll());

  it('commits transfers, and their blocks carry commit certificates that verify offline against genesis', async () => {
    acknowledged.push(...(await cluster.submitAndCommit(20, 0)));
    const trust = cluster.files.genesis;
    for (const hash of acknowledged.slice(0, 5)) {
      const response = await cluster.client('validator-2').getTransaction(hash);
      const verdict = verifyReceipt(response, { certificate: trust });
      expect(verdict, hash).toMatchObject({ ok: true, height: response.height });
      // The same block from another validator carries an equally valid certificate.
      const block = await cluster.client('validator-4').getBlock(response.height as number);
      expect(block.hash).toBe(response.block?.hash);
      expect(verifyBlockCertificate(block, trust).ok).toBe(true);
      // Against another chain's id no signature holds.
      expect(verifyBlockCertificate(block, { ...trust, chainId: 'another-chain' })).toEqual({ ok: false, reason: 'commit certificate is invalid: PBFT_CERT_BAD_SIGNATURE' });
    }
  });

  it('kill -9 the primary: the others change views and commit what was submitted meanwhile', async () => {
    const before = await cluster.agreedPrimary();
    await cluster.kill(before.primary);
    // Submitted before the view change: forwarded to the dead primary, so the new one only gets
    // them, gaps and all, when the replicas hand their pools over.
    acknowledged.push(...(await cluster.submitAndCommit(30, 100)));
    const after = await cluster.agreedPrimary();
    expect(after.primary).not.toBe(before.primary);
    expect(after.view).toBeGreaterThan(before.view);
  });

  const halted: { hash?: string; killed: string[] } = { killed: [] };

  it('kill -9 a second validator: with 2 of 4 left nothing commits, and the two ledgers agree', async () => {
    const [second, ...rest] = [...cluster.nodes.keys()];
    await cluster.kill(second);
    halted.killed = [...cluster.files.nodeIds.filter((id) => !cluster.nodes.has(id))];
    // A block already voted on may still land; after that the heights must stay put.
    await sleep(1500);
    const maxHeight = async (): Promise<number> => Math.max(...(await Promise.all(rest.map(async (id) => (await cluster.status(id)).height))));
    const frozen = await maxHeight();
    const tx = cluster.nextTransfer(200);
    halted.hash = tx.hashHex;
    expect((await cluster.client(rest[0]).submit(tx)).status).toBe('pending');
    await sleep(5000);
    expect(await maxHeight()).toBe(frozen);
    expect((await cluster.client(rest[0]).getTransaction(tx.hashHex)).status).toBe('pending');
    const heights = await Promise.all(rest.map(async (id) => (await cluster.status(id)).height));
    const common = Math.min(...heights);
    const blocks = await Promise.all(rest.map((id) => cluster.client(id).getBlock(common)));
    expect(blocks[0].hash).toBe(blocks[1].hash);
  });

  it('restart both: commits resume and all four ledgers end identical', async () => {
    await Promise.all(halted.killed.map((id) => cluster.restart(id)));
    const pending = await cluster.client([...cluster.nodes.keys()][0]).waitForCommit(halted.hash as string, 90_000);
    expect(pending.status).toBe('committed');
    acknowledged.push(halted.hash as string);
    acknowledged.push(...(await cluster.submitAndCommit(10, 300)));
    const ids = [...cluster.nodes.keys()];
    expect(ids).toHaveLength(4);
    const height = await cluster.expectIdenticalAt(ids, 1);
    for (const id of ids) {
      for (const hash of acknowledged) {
        const tx = await cluster.client(id).getTransaction(hash);
        expect(tx.status, `${hash} on ${id}`).toBe('committed');
        expect(tx.height as number).toBeLessThanOrEqual(height);
      }
    }
    const balance = BigInt((await cluster.client(ids[0]).getAccount(`0x${Buffer.from(sink.address).toString('hex')}`)).balance);
    expect(balance).toBe(1_000_000_000n + BigInt(acknowledged.length));
    cluster.expectCleanLogs();
  }, 180_000);
});

describe('PBFT: an equivocating primary is replaced and the honest ledgers agree', () => {
  // validator-1 is the primary of view 0; it sends different blocks to different replicas.
  const cluster = new PbftCluster(tempDir('pbft-byzantine'), [0, 1, 2].map((i) => testAccount(`member-${i}`)));
  const honest = ['validator-2', 'validator-3', 'validator-4'];

  beforeAll(async () => {
    requireBuild();
    await cluster.start((id) => (id === 'validator-1' ? { NODE_ENV: 'test', ACCORD_TEST_BYZANTINE: 'equivocate' } : {}));
  }, 120_000);

  afterAll(() => cluster.stopAll());

  it('view changes away from the equivocator, transfers commit and honest ledgers are identical', async () => {
    const hashes = await cluster.submitAndCommit(10, 0, honest);
    expect(hashes).toHaveLength(10);
    for (const id of honest) {
      const status = await cluster.status(id);
      expect(Number(status.consensus.epoch)).toBeGreaterThan(0);
    }
    const response = await cluster.client('validator-3').getTransaction(hashes[0]);
    expect(verifyReceipt(response, { certificate: cluster.files.genesis }).ok).toBe(true);
    await cluster.expectIdenticalAt(honest, 1);
    cluster.expectCleanLogs();
  }, 120_000);
});
