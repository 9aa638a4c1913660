import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { blockHash, decodeBlock, encodeBlock, toHex } from '#chain';
import { ConsensusMessageType, decodeBlockResponse, encodeBlockResponse, encodeLeaderSignature, signBlockAsLeader, type BlockResponse } from '#consensus';
import { testAccount } from '../support/chain-fixtures.js';
import { tempDir } from '../support/temp.js';
import { until } from '../support/wait.js';
import { MemoryNetwork, type OutgoingFilter } from './support/memory-transport.js';
import { buildSyncChain, consensusKeyOf, type SyncChain } from './support/sync-chain.js';
import { syncGenesis } from './support/sync-genesis.js';
import { openSyncNode, type SyncNode } from './support/sync-node.js';

const genesis = syncGenesis({ validators: 4, consensus: 'raft', members: 8 });
const dir = tempDir('sync-faults');
let chain: SyncChain;
let nodes: SyncNode[] = [];

beforeAll(async () => {
  chain = await buildSyncChain({ genesis, dir: dir.path, blocks: 120, txsPerBlock: 10, senders: 8 });
});

afterEach(async () => {
  for (const node of nodes) await node.close();
  nodes = [];
});

afterAll(() => dir.cleanup());

/** Rewrites every block response of a peer. */
function corruptResponses(change: (response: BlockResponse) => BlockResponse): OutgoingFilter {
  return (_to, type, payload) => (type === ConsensusMessageType.BLOCK_RESPONSE ? encodeBlockResponse(change(decodeBlockResponse(payload))) : payload);
}

const faults: Array<[string, string, OutgoingFilter]> = [
  [
    'flips a byte in a transaction',
    'SYNC_BAD_TX_ROOT',
    corruptResponses((r) => {
      const blocks = r.blocks.map((b) => b.slice());
      const last = blocks[blocks.length - 1];
      last[last.length - 5] ^= 0x01; // inside the last transaction's signature
      return { ...r, blocks };
    }),
  ],
  [
    'serves a block signed by a key that is not the leader\'s',
    'SYNC_BAD_PROOF',
    corruptResponses((r) => ({
      ...r,
      certificates: r.blocks.map((b) => encodeLeaderSignature(signBlockAsLeader(genesis.chainId, decodeBlock(b).header, 'validator-1', testAccount('outsider').privateKey))),
    })),
  ],
  [
    'serves blocks with a wrong state root, validly signed (a faulty leader)',
    'SYNC_INVALID_BLOCK',
    corruptResponses((r) => {
      const blocks = r.blocks.map((b) => {
        const block = decodeBlock(b);
        return { header: { ...block.header, stateRoot: new Uint8Array(32).fill(7) }, txs: block.txs };
      });
      // Re-linked and re-signed with the real leader key: only execution can tell.
      for (let i = 1; i < blocks.length; i++) blocks[i].header = { ...blocks[i].header, prevHash: blockHash(blocks[i - 1].header) };
      return {
        ...r,
        blocks: blocks.map((block) => encodeBlock(block)),
        certificates: blocks.map((block) => encodeLeaderSignature(signBlockAsLeader(genesis.chainId, block.header, 'validator-1', consensusKeyOf('validator-1').privateKey))),
      };
    }),
  ],
  ['answers with other heights than asked', 'SYNC_WRONG_RANGE', corruptResponses((r) => ({ ...r, blocks: r.blocks.slice(1), certificates: r.certificates.slice(1) }))],
  ['sends garbage for blocks', 'SYNC_UNDECODABLE', corruptResponses((r) => ({ ...r, blocks: r.blocks.map(() => Uint8Array.of(1, 2, 3)) }))],
  [
    'drops a transaction and fixes up the header (bad txRoot)',
    'SYNC_BAD_TX_ROOT',
    corruptResponses((r) => ({
      ...r,
      blocks: r.blocks.map((b) => {
        const block = decodeBlock(b);
        return encodeBlock({ header: { ...block.header, txCount: block.txs.length - 1 }, txs: block.txs.slice(1) });
      }),
    })),
  ],
];

let run = 0;

async function syncWithPeers(badFilter: OutgoingFilter | undefined): Promise<SyncNode> {
  const network = new MemoryNetwork();
  const runDir = join(dir.path, `run-${run++}`);
  mkdirSync(runDir);
  const ids = ['validator-1', 'validator-2', 'validator-3'];
  for (const nodeId of ids) {
    const transport = network.join(nodeId);
    if (nodeId === 'validator-3' && badFilter) transport.filter = badFilter;
    nodes.push(await openSyncNode({ nodeId, genesis, transport, dir: runDir, fromSqlite: chain.sqlitePath }));
  }
  // Small requests so every peer is asked several times; quick lag detection.
  const fresh = await openSyncNode({
    nodeId: 'validator-4',
    genesis,
    transport: network.join('validator-4'),
    dir: runDir,
    tuning: { blocksPerRequest: 8, requestTimeoutMs: 1000, lagGraceMs: 0, lagCheckIntervalMs: 50 },
  });
  nodes.push(fresh);
  await until('the fresh node reaches the head', async () => (fresh.ledger.height === BigInt(chain.height) ? true : undefined), 30_000);
  expect(fresh.ledger.headHash).toBe(chain.headHash);
  expect(toHex(fresh.ledger.headHeader.stateRoot)).toBe(chain.stateRoot);
  return fresh;
}

describe('block sync from several peers (in memory)', () => {
  it('a fresh node catches up by itself from three honest peers, using all of them, with the same head and state root', async () => {
    const fresh = await syncWithPeers(undefined);
    const servers = new Set(fresh.events.flatMap((e) => (e.type === 'committed' ? [e.peerId] : [])));
    expect([...servers].sort()).toEqual(['validator-1', 'validator-2', 'validator-3']);
    expect(fresh.events.filter((e) => e.type === 'bad-peer')).toEqual([]);
    const stored = await fresh.ledger.getBlock(chain.height);
    expect(stored?.certificate?.length).toBeGreaterThan(0);
  });

  for (const [what, code, filter] of faults) {
    it(`a peer that ${what} is dropped (${code}) and the others finish the sync`, async () => {
      const fresh = await syncWithPeers(filter);
      const bad = fresh.events.filter((e) => e.type === 'bad-peer');
      expect(bad.map((e) => (e.type === 'bad-peer' ? [e.peerId, e.code] : []))).toEqual([['validator-3', code]]);
      expect(fresh.logs.some((line) => line.includes('dropped peer validator-3'))).toBe(true);
      expect(fresh.sync.status().badPeers).toBe(1);
    });
  }

  it('a peer that never answers has its ranges re-assigned after the timeout', async () => {
    const fresh = await syncWithPeers((_to, type, payload) => (type === ConsensusMessageType.BLOCK_RESPONSE ? undefined : payload));
    expect(fresh.logs.some((line) => line.includes('validator-3 did not send blocks'))).toBe(true);
    const servers = new Set(fresh.events.flatMap((e) => (e.type === 'committed' ? [e.peerId] : [])));
    expect(servers.has('validator-3')).toBe(false);
  });
});
