import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccordClient, verifyBlockCertificate } from '#sdk';
import { testAccount, transfer } from '../support/chain-fixtures.js';
import { createClusterFiles, startClusterNode, type ClusterFiles, type ClusterNode } from '../support/cluster.js';
import { requireBuild } from '../support/process.js';
import { tempDir } from '../support/temp.js';
import { until } from '../support/wait.js';

const senders = [0, 1, 2].map((i) => testAccount(`member-${i}`));
const sink = testAccount('member-3');

for (const consensus of ['raft', 'pbft'] as const) rejoinSuite(consensus);

/**
 * A validator stopped while the others commit catches up by itself when restarted, and stores
 * the same blocks, each with a commit proof (Raft: the leader's signature, the same on every
 * node; PBFT: a commit certificate) that verifies offline against the genesis consensus keys.
 */
function rejoinSuite(consensus: 'raft' | 'pbft'): void {
  describe(`a stopped ${consensus} validator rejoins and catches up`, () => {
    const dir = tempDir(`sync-rejoin-${consensus}`);
    let files: ClusterFiles;
    const nodes = new Map<string, ClusterNode>();
    const nonces = new Map<string, bigint>();

    const client = (id: string): AccordClient => new AccordClient((nodes.get(id) as ClusterNode).url, 10_000);

    async function commitTransfers(count: number, via: string[]): Promise<void> {
      await Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const sender = senders[i % senders.length];
          const nonce = nonces.get(sender.publicKeyHex) ?? 0n;
          nonces.set(sender.publicKeyHex, nonce + 1n);
          const response = await client(via[i % via.length]).submit(transfer(sender, sink, 1n, nonce), { wait: true, waitTimeoutMs: 20_000 });
          expect(response.status).toBe('committed');
        }),
      );
    }

    beforeAll(async () => {
      requireBuild();
      // PBFT keeps a quorum (3 of 4) with one validator down.
      files = await createClusterFiles(dir.path, { validators: consensus === 'raft' ? 3 : 4, consensus });
      for (const node of await Promise.all(files.nodeIds.map((id) => startClusterNode(files, id)))) nodes.set(node.nodeId, node);
    }, 120_000);

    afterAll(() => {
      for (const node of nodes.values()) node.process.child.kill('SIGKILL');
      dir.cleanup();
    });

    it('commits while validator-3 is down; after its restart it reaches the same head, with verifiable commit proofs', async () => {
      // Any node naming one will do: a PBFT replica that timed out alone names none until the rest change views.
      await until('a leader', async () => (await Promise.all(files.nodeIds.map(async (id) => (await client(id).status()).consensus.leaderId))).find((id) => id !== undefined));
      await commitTransfers(30, files.nodeIds);
      const stopped = nodes.get('validator-3') as ClusterNode;
      stopped.process.child.kill('SIGKILL');
      await stopped.process.exited;
      nodes.delete('validator-3');
      await commitTransfers(150, files.nodeIds.filter((id) => id !== 'validator-3'));
      const head = await client('validator-1').status();

      nodes.set('validator-3', await startClusterNode(files, 'validator-3'));
      const caughtUp = await until('validator-3 at the head', async () => {
        const s = await client('validator-3').status();
        return s.height >= head.height ? s : undefined;
      }, 60_000);
      const reference = await client('validator-1').getBlock(head.height);
      const rejoined = await client('validator-3').getBlock(head.height);
      expect(rejoined.hash).toBe(reference.hash);
      expect(caughtUp.height).toBeGreaterThanOrEqual(head.height);
      for (let height = 1; height <= head.height; height++) {
        const block = await client('validator-3').getBlock(height);
        // Leader signatures are the same everywhere; PBFT nodes may hold different 2f+1 subsets of COMMITs.
        if (consensus === 'raft') expect(block.certificate, `block ${height}`).toBe((await client('validator-1').getBlock(height)).certificate);
        expect(verifyBlockCertificate(block, files.genesis)).toMatchObject({ ok: true, height });
      }
    }, 150_000);
  });
}
