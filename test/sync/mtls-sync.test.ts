import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '#chain';
import { ConsensusMessageType, decodeBlockResponse, encodeBlockResponse } from '#consensus';
import type { PeerManager } from '#p2p';
import { createClusterFiles, type ClusterFiles } from '../support/cluster.js';
import { tempDir } from '../support/temp.js';
import { until } from '../support/wait.js';
import { buildSyncChain, type SyncChain } from './support/sync-chain.js';
import { openSyncNode, type SyncNode } from './support/sync-node.js';
import { filteredTransport, tlsPeerManager, workerSignatureVerifier } from './support/tls-peers.js';

const BLOCKS = 2000;
const TXS_PER_BLOCK = 50;
const SENDERS = 100;

/**
 * A fresh validator syncs 2,000 blocks / 100,000 transfers from three peers over real mutual-TLS
 * links. The chain is built once and its SQLite file copied to the peers; one of them flips a
 * byte inside a transaction of every block it serves.
 */
describe('block sync at scale over mutual TLS', () => {
  const dir = tempDir('sync-mtls');
  let files: ClusterFiles;
  let chain: SyncChain;
  const managers: PeerManager[] = [];
  const nodes: SyncNode[] = [];
  let verifier: ReturnType<typeof workerSignatureVerifier>;

  beforeAll(async () => {
    files = await createClusterFiles(dir.path, { validators: 4, consensus: 'raft', members: SENDERS });
    chain = await buildSyncChain({ genesis: files.genesis, dir: dir.path, blocks: BLOCKS, txsPerBlock: TXS_PER_BLOCK, senders: SENDERS });
    verifier = workerSignatureVerifier(files.genesis.chainId);
  }, 180_000);

  afterAll(async () => {
    for (const node of nodes) await node.close();
    for (const manager of managers) await manager.stop();
    await verifier?.close();
    dir.cleanup();
  });

  it('ends with the same head hash and state root; the corrupting peer is detected and dropped', async () => {
    const nodeDir = join(dir.path, 'nodes');
    mkdirSync(nodeDir);
    for (const nodeId of files.nodeIds) {
      const manager = tlsPeerManager(files, nodeId);
      managers.push(manager);
      await manager.start();
    }
    await until('every link up', async () => (managers.every((m) => m.connectedPeers().length === 3) ? true : undefined));
    const flipTxByte = (_to: string, type: number, payload: Uint8Array): Uint8Array => {
      if (type !== ConsensusMessageType.BLOCK_RESPONSE) return payload;
      const response = decodeBlockResponse(payload);
      const blocks = response.blocks.map((block) => {
        const copy = block.slice();
        copy[copy.length - 10] ^= 0x40; // inside the last transaction's signature
        return copy;
      });
      return encodeBlockResponse({ ...response, blocks });
    };
    for (const [i, nodeId] of ['validator-1', 'validator-2', 'validator-3'].entries()) {
      const transport = nodeId === 'validator-3' ? filteredTransport(managers[i], flipTxByte) : managers[i];
      nodes.push(await openSyncNode({ nodeId, genesis: files.genesis, transport, dir: nodeDir, fromSqlite: chain.sqlitePath }));
    }
    const fresh = await openSyncNode({ nodeId: 'validator-4', genesis: files.genesis, transport: managers[3], dir: nodeDir, verifySignatures: verifier.verify, stateDeltas: verifier.stateDeltas, tuning: { lagGraceMs: 0 } });
    nodes.push(fresh);

    await until('the fresh node reaches the head', async () => (fresh.ledger.height === BigInt(chain.height) ? true : undefined), 120_000);
    expect(fresh.ledger.headHash).toBe(chain.headHash);
    expect(toHex(fresh.ledger.headHeader.stateRoot)).toBe(chain.stateRoot);
    const bad = fresh.events.flatMap((e) => (e.type === 'bad-peer' ? [`${e.peerId} ${e.code}`] : []));
    expect(bad).toEqual(['validator-3 SYNC_BAD_TX_ROOT']);
    const servedBy = new Set(fresh.events.flatMap((e) => (e.type === 'committed' ? [e.peerId] : [])));
    expect([...servedBy].sort()).toEqual(['validator-1', 'validator-2']);
    const status = fresh.sync.status();
    expect(status).toMatchObject({ state: 'synced', height: String(BLOCKS), blocksSynced: BLOCKS, txsSynced: BLOCKS * TXS_PER_BLOCK, badPeers: 1 });
    // Every transaction is there, and each block keeps the leader signature it was served with.
    const last = await fresh.ledger.getBlock(BLOCKS);
    expect(last?.txs).toHaveLength(TXS_PER_BLOCK);
    expect(last?.certificate?.length).toBeGreaterThan(0);
  }, 180_000);
});
