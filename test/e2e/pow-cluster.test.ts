import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockHash, decodeBlockHeader, fromHex, meetsDifficulty, toHex } from '#chain';
import { AccordClient } from '#sdk';
import { testAccount, transfer } from '../support/chain-fixtures.js';
import { createClusterFiles, startClusterNode, type ClusterNode } from '../support/cluster.js';
import { requireBuild } from '../support/process.js';
import { tempDir } from '../support/temp.js';

const BITS = 14;
const dir = tempDir('pow-cluster');
let nodes: ClusterNode[] = [];

beforeAll(async () => {
  requireBuild();
  const files = await createClusterFiles(dir.path, { validators: 4, consensus: 'raft', powDifficultyBits: BITS });
  nodes = await Promise.all(files.nodeIds.map((id) => startClusterNode(files, id)));
}, 120_000);

afterAll(() => {
  for (const node of nodes) node.process.child.kill('SIGKILL');
  dir.cleanup();
});

describe(`Raft with proof of work (${BITS} bits): 4 validator processes`, () => {
  it('keeps committing sealed blocks that every validator accepted', async () => {
    const alice = testAccount('member-0');
    const bob = testAccount('member-1');
    for (let nonce = 0n; nonce < 6n; nonce++) {
      const response = await new AccordClient(nodes[Number(nonce) % 4].url, 30_000).submit(transfer(alice, bob, 1n, nonce), { wait: true, waitTimeoutMs: 25_000 });
      expect(response.status).toBe('committed');
    }
    const clients = nodes.map((n) => new AccordClient(n.url));
    const heights = await Promise.all(clients.map(async (c) => (await c.status()).height));
    const height = Math.min(...heights);
    expect(height).toBeGreaterThanOrEqual(1);
    for (let h = 1; h <= height; h++) {
      const blocks = await Promise.all(clients.map((c) => c.getBlock(h)));
      expect(new Set(blocks.map((b) => b.hash)).size).toBe(1);
      const header = decodeBlockHeader(fromHex(blocks[0].headerBytes) as Uint8Array);
      expect(header.powDifficultyBits).toBe(BITS);
      expect(meetsDifficulty(blockHash(header), BITS)).toBe(true);
      expect(toHex(blockHash(header))).toBe(blocks[0].hash);
    }
    const metrics = await (await fetch(new URL('/metrics', nodes[0].url))).text();
    expect(metrics).toContain('accord_pow_seal_seconds');
  });
});
