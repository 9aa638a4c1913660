import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAddress, fromHex, NodeRole, TxType, type NodeAddPayload, type Transaction, type TxPayload } from '#chain';
import { AccordClient } from '#sdk';
import { signTx, testAccount, transfer } from '../support/chain-fixtures.js';
import { createClusterFiles, startClusterNode, type ClusterFiles, type ClusterNode, type SpareNode } from '../support/cluster.js';
import { requireBuild } from '../support/process.js';
import { tempDir } from '../support/temp.js';
import { until } from '../support/wait.js';

/*
 * Live validator-set changes on real processes: a fifth validator joins as a learner (syncing
 * the chain), is promoted to voter, then removed again, one governance transaction at a time,
 * while clients keep submitting transfers. Nothing acknowledged may be lost or applied twice,
 * and the voters' ledgers must agree block by block.
 */

const senders = [0, 1, 2].map((i) => testAccount(`member-${i}`));
const sink = testAccount('member-3');
const governance = testAccount('governance');
// Each step waits on real processes of a machine that runs other suites at the same time.
const STEP_TIMEOUT_MS = 180_000;

/** The governance payload that adds a prepared node to the network. */
function nodeAdd(node: SpareNode, organization: string, role: NodeAddPayload['role']): NodeAddPayload {
  return {
    type: TxType.NODE_ADD,
    nodeId: node.nodeId,
    organization,
    consensusPublicKey: fromHex(node.consensusPublicKey) as Uint8Array,
    spkiSha256: fromHex(node.spkiSha256) as Uint8Array,
    p2pAddress: node.p2pAddress,
    apiUrl: 'http://127.0.0.1:0',
    role,
  };
}

for (const consensus of ['raft', 'pbft'] as const) membershipSuite(consensus);

function membershipSuite(consensus: 'raft' | 'pbft'): void {
  const dir = tempDir(`membership-${consensus}`);
  let files: ClusterFiles;
  let joiner: SpareNode;
  const nodes = new Map<string, ClusterNode>();
  const nonces = new Map<string, bigint>();
  let governanceNonce = 0n;
  const acknowledged: string[] = [];
  let load: { stop: () => Promise<void> } | undefined;

  const client = (nodeId: string): AccordClient => {
    const node = nodes.get(nodeId);
    if (!node) throw new Error(`${nodeId} is not running`);
    return new AccordClient(node.url, 15_000);
  };
  const paused = new Set<string>();
  /** The genesis validators clients and checks talk to (paused ones excepted). */
  const voters = (): string[] => files.nodeIds.filter((id) => !paused.has(id));

  function nextTransfer(i: number): Transaction {
    const sender = senders[i % senders.length];
    const nonce = nonces.get(sender.publicKeyHex) ?? 0n;
    nonces.set(sender.publicKeyHex, nonce + 1n);
    return transfer(sender, sink, 1n, nonce);
  }

  /** Clients submitting transfers to the genesis validators in turn until stopped; acknowledged = committed receipt. */
  function startLoad(): { stop: () => Promise<void> } {
    let running = true;
    let i = 0;
    const worker = async (): Promise<void> => {
      while (running) {
        const tx = nextTransfer(i++);
        await submitUntilCommitted(tx, i);
        acknowledged.push(tx.hashHex);
      }
    };
    // One worker per sender keeps each sender's nonces in order.
    const workers = senders.map(() => worker());
    return {
      stop: async () => {
        running = false;
        await Promise.all(workers);
      },
    };
  }

  /**
   * Submits `tx` and waits for its commit, trying another validator when one stops answering
   * (a paused one): the same signed transaction again is safe, it commits once.
   */
  async function submitUntilCommitted(tx: Transaction, attempt: number): Promise<void> {
    const deadline = Date.now() + 150_000;
    for (let tries = 0; ; tries++) {
      const target = voters()[(attempt + tries) % voters().length];
      try {
        const response = await client(target).submit(tx, { wait: true, waitTimeoutMs: 20_000 });
        if (response.status === 'committed') return;
      } catch (error) {
        const code = (error as { code?: string }).code;
        // An earlier attempt went through after all.
        if (code === 'TX_ALREADY_COMMITTED') return;
        if (Date.now() > deadline) throw error;
      }
    }
  }

  async function govern(payload: TxPayload): Promise<void> {
    const tx = signTx(governance, governanceNonce++, payload);
    const response = await client(voters()[0]).submit(tx, { wait: true, waitTimeoutMs: 30_000 });
    expect(response.status).toBe('committed');
  }

  async function roleOf(nodeId: string): Promise<string> {
    return (await client(nodeId).status()).consensus.role;
  }

  /** Every running node's view (paused ones excepted) and the end of its log, for a failure message. */
  async function describeNodes(): Promise<string> {
    const lines: string[] = [];
    for (const [nodeId, node] of nodes) {
      const status = paused.has(nodeId) ? 'paused' : await client(nodeId).status().then((s) => JSON.stringify({ height: s.height, consensus: s.consensus }), (error: unknown) => String(error));
      lines.push(`${nodeId}: ${status}`, ...node.process.output().split('\n').slice(-15).map((line) => `  ${line}`));
    }
    return lines.join('\n');
  }

  async function caughtUp(nodeId: string): Promise<void> {
    await until(`${nodeId} caught up with the voters`, async () => {
      const [own, reference] = await Promise.all([client(nodeId).status(), client(voters()[0]).status()]);
      return own.height >= reference.height - 2 ? true : undefined;
    }, 60_000);
  }

  beforeAll(async () => {
    requireBuild();
    files = await createClusterFiles(dir.path, { validators: 4, consensus, spares: 2 });
    joiner = files.spares[0];
    const started = await Promise.all(files.nodeIds.map((id) => startClusterNode(files, id)));
    for (const node of started) nodes.set(node.nodeId, node);
  }, 120_000);

  afterAll(async () => {
    await load?.stop().catch(() => undefined);
    for (const node of nodes.values()) node.process.child.kill('SIGKILL');
    dir.cleanup();
  });

  describe(`${consensus}: grow 4 → 5 validators and shrink back under load`, () => {
    it('a new validator joins as a learner and syncs the chain while clients keep submitting', async () => {
      load = startLoad();
      await until('first transfers committed', async () => (acknowledged.length >= 20 ? true : undefined), 60_000);
      await govern(nodeAdd(joiner, 'Org2', NodeRole.LEARNER));
      nodes.set(joiner.nodeId, await startClusterNode(files, joiner.nodeId));
      await caughtUp(joiner.nodeId);
      expect(await roleOf(joiner.nodeId)).toBe('learner');
    }, STEP_TIMEOUT_MS);

    it('is promoted to voter by a governance transaction and takes part; commits continue', async () => {
      const before = acknowledged.length;
      await govern({ type: TxType.NODE_PROMOTE, nodeId: joiner.nodeId });
      await until(`${joiner.nodeId} votes`, async () => (['follower', 'leader', 'replica', 'primary'].includes(await roleOf(joiner.nodeId)) ? true : undefined), 60_000);
      await until('commits continue with five voters', async () => (acknowledged.length >= before + 30 ? true : undefined), 60_000);
      await caughtUp(joiner.nodeId);
      // Proof that it votes: pause as many original validators as five voters can lose and keep a
      // quorum only with the new one (Raft 3 of 5: pause 2; PBFT 4 of 5: pause 1).
      const toPause = files.nodeIds.slice(-(consensus === 'raft' ? 2 : 1));
      for (const id of toPause) {
        paused.add(id);
        nodes.get(id)?.process.child.kill('SIGSTOP');
      }
      try {
        const during = acknowledged.length;
        await until('commits continue only thanks to the new voter', async () => (acknowledged.length >= during + 20 ? true : undefined), 60_000);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${await describeNodes()}`);
      } finally {
        // Later steps need every original validator, whatever happened here.
        for (const id of toPause) {
          nodes.get(id)?.process.child.kill('SIGCONT');
          paused.delete(id);
        }
      }
    }, STEP_TIMEOUT_MS);

    it('is removed again; the four original validators carry on', async () => {
      await govern({ type: TxType.NODE_REMOVE, nodeId: joiner.nodeId });
      // The voters cut the removed node off at once (it may never hear of its own removal; its
      // operator shuts it down), and the chain lists it as removed.
      const listed = (await (await fetch(new URL('/v1/network/nodes', client(voters()[0]).baseUrl))).json()) as { nodes: Array<{ nodeId: string; role: string }> };
      expect(listed.nodes.find((n) => n.nodeId === joiner.nodeId)?.role).toBe('removed');
      const before = acknowledged.length;
      await until('commits continue with four voters', async () => (acknowledged.length >= before + 30 ? true : undefined), 60_000);
    }, STEP_TIMEOUT_MS);

    it('a change that breaks the chain rules is refused with its reason', async () => {
      const promoteRemoved = signTx(governance, governanceNonce, { type: TxType.NODE_PROMOTE, nodeId: joiner.nodeId });
      // The proposer records why it left a transaction out: ask the leader / primary.
      const proposer = (await client(voters()[0]).status()).consensus.leaderId ?? voters()[0];
      await client(proposer).submit(promoteRemoved);
      expect(await client(proposer).waitForCommit(promoteRemoved.hashHex)).toMatchObject({ status: 'rejected', code: 'NODE_REMOVED' });
    }, STEP_TIMEOUT_MS);

    it('an observer syncs, follows new blocks and serves reads without ever voting', async () => {
      const observer = files.spares[1];
      await govern(nodeAdd(observer, 'Org3', NodeRole.OBSERVER));
      nodes.set(observer.nodeId, await startClusterNode(files, observer.nodeId));
      await caughtUp(observer.nodeId);
      expect(await roleOf(observer.nodeId)).toBe('observer');
      // It keeps following: a transfer committed after it caught up is readable there too.
      const tx = nextTransfer(0);
      await submitUntilCommitted(tx, 0);
      acknowledged.push(tx.hashHex);
      const seen = await until('the observer has the new transfer', async () => {
        const found = await client(observer.nodeId).getTransaction(tx.hashHex).catch(() => undefined);
        return found?.status === 'committed' ? found : undefined;
      });
      const height = seen.height as number;
      expect((await client(observer.nodeId).getBlock(height)).hash).toBe((await client(voters()[0]).getBlock(height)).hash);
    }, STEP_TIMEOUT_MS);

    it('no acknowledged transaction is lost or duplicated; the voters agree block by block', async () => {
      await load?.stop();
      load = undefined;
      const head = await until('voters at one head', async () => {
        const statuses = await Promise.all(voters().map((id) => client(id).status()));
        return new Set(statuses.map((s) => s.headHash)).size === 1 ? statuses[0] : undefined;
      }, 60_000);
      // Exactly once: each sender's on-chain nonce equals the transfers it had acknowledged.
      for (const sender of senders) {
        const account = await client(voters()[0]).getAccount(formatAddress(sender.address));
        expect(BigInt(account.nonce)).toBe(nonces.get(sender.publicKeyHex));
      }
      for (const hash of acknowledged.slice(-50)) {
        for (const id of voters()) expect((await client(id).getTransaction(hash)).status).toBe('committed');
      }
      // Same block at every height on every voter (sampled densely at the end, where the changes were).
      for (let height = Math.max(1, head.height - 60); height <= head.height; height++) {
        const hashes = await Promise.all(voters().map((id) => client(id).getBlock(height).then((b) => b.hash)));
        expect(new Set(hashes).size, `height ${height}`).toBe(1);
      }
    }, STEP_TIMEOUT_MS);
  });
}
