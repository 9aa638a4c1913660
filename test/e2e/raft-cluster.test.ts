import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transaction } from '#chain';
import { AccordClient } from '#sdk';
import { testAccount, transfer } from '../support/chain-fixtures.js';
import { createClusterFiles, startClusterNode, type ClusterFiles, type ClusterNode } from '../support/cluster.js';
import { requireBuild } from '../support/process.js';
import { dropSchema, requirePostgres } from '../support/postgres.js';
import { TEST_POSTGRES_URL, tempDir, uniqueSchema } from '../support/temp.js';
import { until } from '../support/wait.js';

const senders = [0, 1, 2].map((i) => testAccount(`member-${i}`));
const sink = testAccount('member-3');

for (const database of ['SQLite', 'Postgres'] as const) clusterSuite(database);

function clusterSuite(database: 'SQLite' | 'Postgres'): void {
  const dir = tempDir(`raft-cluster-${database.toLowerCase()}`);
  const runId = uniqueSchema('raft');
  const schemaOf = (nodeId: string): string => `${runId}_${nodeId.replace(/-/g, '_')}`;
  const envFor = (nodeId: string): NodeJS.ProcessEnv => (database === 'Postgres' ? { DATABASE_URL: TEST_POSTGRES_URL, DATABASE_SCHEMA: schemaOf(nodeId) } : {});
  let files: ClusterFiles;
  const nodes = new Map<string, ClusterNode>();
  // Each suite runs its own chain from genesis, so nonces start again from 0.
  const nonces = new Map<string, bigint>();

  function client(nodeId: string): AccordClient {
    const node = nodes.get(nodeId);
    if (!node) throw new Error(`${nodeId} is not running`);
    return new AccordClient(node.url, 10_000);
  }

  function nextTransfer(index: number): Transaction {
    const sender = senders[index % senders.length];
    const nonce = nonces.get(sender.publicKeyHex) ?? 0n;
    nonces.set(sender.publicKeyHex, nonce + 1n);
    return transfer(sender, sink, 1n, nonce);
  }

  async function leader(): Promise<string> {
    return until('a leader known to every running node', async () => {
      const statuses = await Promise.all([...nodes.keys()].map((id) => client(id).status()));
      const leaders = new Set(statuses.map((s) => s.consensus.leaderId));
      const [only] = [...leaders];
      return leaders.size === 1 && only && nodes.has(only) ? only : undefined;
    });
  }

  /** Submits transfers round-robin to the running nodes, waiting for each to commit. */
  async function submitAndCommit(count: number, offset: number): Promise<string[]> {
    const hashes: string[] = [];
    const running = [...nodes.keys()];
    await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const tx = nextTransfer(offset + i);
        const response = await client(running[i % running.length]).submit(tx, { wait: true, waitTimeoutMs: 20_000 });
        expect(response.status).toBe('committed');
        hashes.push(tx.hashHex);
      }),
    );
    return hashes;
  }

  beforeAll(async () => {
    requireBuild();
    if (database === 'Postgres') await requirePostgres();
    files = await createClusterFiles(dir.path, { validators: 4, consensus: 'raft' });
    const started = await Promise.all(files.nodeIds.map((id) => startClusterNode(files, id, envFor(id))));
    for (const node of started) nodes.set(node.nodeId, node);
  }, 120_000);

  afterAll(async () => {
    for (const node of nodes.values()) node.process.child.kill('SIGKILL');
    dir.cleanup();
    if (database === 'Postgres') for (const id of files.nodeIds) await dropSchema(schemaOf(id));
  });

  describe(`Raft: 4 validator processes over mutual TLS on ${database}`, () => {
    const acknowledged: string[] = [];

    it('elects one leader and commits transfers submitted to any validator', async () => {
      await leader();
      acknowledged.push(...(await submitAndCommit(30, 0)));
    });

    it('kill -9 the leader: a new leader is elected and commits resume', async () => {
      const old = await leader();
      const victim = nodes.get(old) as ClusterNode;
      victim.process.child.kill('SIGKILL');
      await victim.process.exited;
      nodes.delete(old);
      const next = await leader();
      expect(next).not.toBe(old);
      acknowledged.push(...(await submitAndCommit(30, 100)));

      // The old leader comes back and catches up.
      nodes.set(old, await startClusterNode(files, old, envFor(old)));
      acknowledged.push(...(await submitAndCommit(10, 200)));
    });

    it('every acknowledged transaction is committed exactly once on every validator, and all ledgers end identical', async () => {
      const ids = [...nodes.keys()];
      const target = await until('equal heights', async () => {
        const heights = await Promise.all(ids.map(async (id) => (await client(id).status()).height));
        return heights.every((h) => h === heights[0]) ? heights[0] : undefined;
      });
      expect(target).toBeGreaterThan(0);
      const statuses = await Promise.all(ids.map((id) => client(id).status()));
      expect(new Set(statuses.map((s) => s.headHash)).size).toBe(1);
      expect(new Set(statuses.map((s) => s.stateRoot)).size).toBe(1);
      for (const id of ids) {
        const positions = new Set<string>();
        for (const hash of acknowledged) {
          const tx = await client(id).getTransaction(hash);
          expect(tx.status, `${hash} on ${id}`).toBe('committed');
          positions.add(`${tx.height}:${tx.index}`);
        }
        expect(positions.size).toBe(acknowledged.length);
      }
      const metrics = await (await fetch(new URL('/metrics', nodes.get(ids[0])?.url))).text();
      for (const name of ['accord_consensus_is_leader', 'accord_consensus_term', 'accord_consensus_commit_height_blocks', 'accord_consensus_elections_won_total', 'accord_consensus_proposal_to_commit_seconds', 'accord_p2p_']) {
        expect(metrics).toContain(name);
      }
      const sinkAccount = await client(ids[0]).getAccount(`0x${Buffer.from(sink.address).toString('hex')}`);
      expect(BigInt(sinkAccount.balance)).toBe(1_000_000_000n + BigInt(acknowledged.length));
    });
  });
}
