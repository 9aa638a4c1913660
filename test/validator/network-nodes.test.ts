import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeRole, sha256, TxType, utf8, type TxPayload } from '#chain';
import { AccordClient } from '#sdk';
import { signTx, testAccount, testGenesis } from '../support/chain-fixtures.js';
import { startTestValidator } from '../support/validator-fixtures.js';

const governance = testAccount('governance');
const soloKey = testAccount('solo-1 consensus');
const newcomerKey = testAccount('node-2 consensus');
const spkiOf = (label: string): Uint8Array => sha256(utf8(`spki ${label}`));
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const genesis = testGenesis({
  members: 1,
  overrides: {
    validators: [{ nodeId: 'solo-1', organization: 'Org1', consensusPublicKey: soloKey.publicKeyHex, spkiSha256: hex(spkiOf('solo-1')), p2pAddress: '127.0.0.1:7001', apiUrl: 'http://127.0.0.1:8001' }],
  },
});
let validator: Awaited<ReturnType<typeof startTestValidator>>;
let client: AccordClient;
let nonce = 0n;

beforeAll(async () => {
  validator = await startTestValidator(genesis);
  client = new AccordClient(validator.url);
});
afterAll(() => validator.cleanup());

interface NodesBody {
  height: number;
  votersSince: number;
  nodes: { nodeId: string; organization: string; role: string; consensusPublicKey: string; spkiSha256: string; p2pAddress: string; apiUrl: string; sinceHeight: number }[];
}

async function nodes(): Promise<NodesBody> {
  const response = await request(validator.app.getHttpServer()).get('/v1/network/nodes');
  expect(response.status).toBe(200);
  return response.body as NodesBody;
}

/** Commits one governance transaction; returns the height of its block. */
async function commit(payload: TxPayload): Promise<number> {
  const tx = signTx(governance, nonce++, payload);
  await client.submit(tx);
  const outcome = await client.waitForCommit(tx.hashHex);
  expect(outcome).toMatchObject({ status: 'committed' });
  return outcome.height!;
}

describe('GET /v1/network/nodes', () => {
  it('starts with the genesis validators as voters since height 0', async () => {
    expect(await nodes()).toEqual({
      height: 0,
      votersSince: 0,
      nodes: [{ nodeId: 'solo-1', organization: 'Org1', role: 'voter', consensusPublicKey: soloKey.publicKeyHex, spkiSha256: hex(spkiOf('solo-1')), p2pAddress: '127.0.0.1:7001', apiUrl: 'http://127.0.0.1:8001', sinceHeight: 0 }],
    });
  });

  it('follows NODE_ADD, NODE_PROMOTE and NODE_REMOVE as they commit', async () => {
    const addedAt = await commit({ type: TxType.NODE_ADD, nodeId: 'node-2', organization: 'Org2', consensusPublicKey: newcomerKey.publicKey, spkiSha256: spkiOf('node-2'), p2pAddress: '127.0.0.1:7002', apiUrl: 'http://127.0.0.1:8002', role: NodeRole.LEARNER });
    let view = await nodes();
    expect(view.height).toBeGreaterThanOrEqual(addedAt);
    expect(view.votersSince).toBe(0);
    expect(view.nodes.find((n) => n.nodeId === 'node-2')).toEqual({ nodeId: 'node-2', organization: 'Org2', role: 'learner', consensusPublicKey: newcomerKey.publicKeyHex, spkiSha256: hex(spkiOf('node-2')), p2pAddress: '127.0.0.1:7002', apiUrl: 'http://127.0.0.1:8002', sinceHeight: addedAt });

    const promotedAt = await commit({ type: TxType.NODE_PROMOTE, nodeId: 'node-2' });
    view = await nodes();
    expect(view.votersSince).toBe(promotedAt);
    expect(view.nodes.map((n) => [n.nodeId, n.role, n.sinceHeight])).toEqual([['node-2', 'voter', promotedAt], ['solo-1', 'voter', 0]]);

    const removedAt = await commit({ type: TxType.NODE_REMOVE, nodeId: 'node-2' });
    view = await nodes();
    expect(view.votersSince).toBe(removedAt);
    expect(view.nodes.map((n) => [n.nodeId, n.role, n.sinceHeight])).toEqual([['node-2', 'removed', removedAt], ['solo-1', 'voter', 0]]);
  });

  it('is in the OpenAPI document with its node schema', async () => {
    const doc = (await request(validator.app.getHttpServer()).get('/openapi.json')).body as { paths: Record<string, unknown>; components: { schemas: Record<string, { properties: Record<string, { type?: string }> }> } };
    expect(doc.paths['/v1/network/nodes']).toBeDefined();
    expect(doc.components.schemas.NetworkNodeView!.properties.sinceHeight).toMatchObject({ type: 'number' });
    expect(doc.components.schemas.NetworkNodesView!.properties.nodes).toMatchObject({ type: 'array' });
  });
});
