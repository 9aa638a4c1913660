import { describe, expect, it } from 'vitest';
import {
  ChainErrorCode,
  chainRulesOf,
  executeTransaction,
  nodeSetOf,
  NodeRole,
  StateOverlay,
  Transaction,
  TxType,
  type NodeAddPayload,
  type WorldState,
} from '#chain';
import { genesisState, signTx, testAccount, testGenesis } from '../../../../test/support/chain-fixtures.js';

const governance = testAccount('governance');
const alice = testAccount('member-0');
const validators = [1, 2].map((i) => ({
  nodeId: `v${i}`,
  organization: `Org${i}`,
  consensusPublicKey: testAccount(`consensus-${i}`).publicKeyHex,
  spkiSha256: String(i).repeat(64),
  p2pAddress: `127.0.0.1:${7000 + i}`,
  apiUrl: `http://127.0.0.1:${8000 + i}`,
}));
const genesis = testGenesis({ members: 1, overrides: { validators } });
const context = { rules: chainRulesOf(genesis), height: 1n };

function addPayload(nodeId: string, role: NodeAddPayload['role'] = NodeRole.LEARNER, spkiByte = 9, port = 7009): NodeAddPayload {
  return {
    type: TxType.NODE_ADD,
    nodeId,
    organization: 'Org9',
    consensusPublicKey: testAccount(`consensus-${nodeId}`).publicKey,
    spkiSha256: new Uint8Array(32).fill(spkiByte),
    p2pAddress: `127.0.0.1:${port}`,
    apiUrl: 'http://127.0.0.1:8009',
    role,
  };
}

/** Executes each transaction in its own block (one node-set change per block). */
function runBlocks(state: WorldState, txs: Transaction[]): Array<string | undefined> {
  return txs.map((tx) => {
    const overlay = new StateOverlay(state);
    const code = executeTransaction(overlay, tx, context);
    if (!code) state.apply(overlay.diff());
    return code;
  });
}

describe('node set: validators join as learners, are promoted and removed by governance', () => {
  it('starts from the genesis validators as voters', () => {
    expect(nodeSetOf(genesisState(genesis))).toEqual({ voters: ['v1', 'v2'], learners: [], observers: [], votersSince: 0n });
  });

  it('add learner → promote → remove; the set and the state root follow', () => {
    const state = genesisState(genesis);
    const rootBefore = state.root();
    const codes = runBlocks(state, [
      signTx(governance, 0n, addPayload('v3')),
      signTx(governance, 1n, addPayload('o1', NodeRole.OBSERVER, 8, 7008)),
      signTx(governance, 2n, { type: TxType.NODE_PROMOTE, nodeId: 'v3' }),
    ]);
    expect(codes).toEqual([undefined, undefined, undefined]);
    expect(nodeSetOf(state)).toEqual({ voters: ['v1', 'v2', 'v3'], learners: [], observers: ['o1'], votersSince: 1n });
    expect(runBlocks(state, [signTx(governance, 3n, { type: TxType.NODE_REMOVE, nodeId: 'v1' })])).toEqual([undefined]);
    expect(nodeSetOf(state).voters).toEqual(['v2', 'v3']);
    expect(state.root()).not.toEqual(rootBefore);
    // The accumulator kept incrementally equals the one recomputed from every entry.
    expect(state.recomputeAccumulator().digest()).toEqual(state.root());
  });

  it('refuses what would break the network, each with its own code', () => {
    const state = genesisState(genesis);
    const cases: Array<[Transaction, string]> = [
      [signTx(governance, 0n, addPayload('v1', NodeRole.LEARNER, 7, 7007)), ChainErrorCode.NODE_EXISTS],
      [signTx(governance, 0n, addPayload('v9', NodeRole.LEARNER, 0x11, 7009)), ChainErrorCode.NODE_EXISTS], // v1's TLS identity
      [signTx(governance, 0n, addPayload('v9', NodeRole.LEARNER, 9, 7001)), ChainErrorCode.NODE_EXISTS], // v1's listener
      [signTx(governance, 0n, { type: TxType.NODE_PROMOTE, nodeId: 'v1' }), ChainErrorCode.NODE_NOT_LEARNER],
      [signTx(governance, 0n, { type: TxType.NODE_PROMOTE, nodeId: 'nobody' }), ChainErrorCode.NODE_UNKNOWN],
      [signTx(alice, 0n, addPayload('v9')), ChainErrorCode.NOT_GOVERNANCE],
    ];
    for (const [tx, code] of cases) expect(executeTransaction(new StateOverlay(state), tx, context)).toBe(code);
    // Removing down to the last voter is refused; a removed id never comes back.
    expect(runBlocks(state, [signTx(governance, 0n, { type: TxType.NODE_REMOVE, nodeId: 'v1' })])).toEqual([undefined]);
    expect(runBlocks(state, [signTx(governance, 1n, { type: TxType.NODE_REMOVE, nodeId: 'v2' })])).toEqual([ChainErrorCode.LAST_VOTER]);
    expect(runBlocks(state, [signTx(governance, 1n, addPayload('v1', NodeRole.LEARNER, 7, 7007))])).toEqual([ChainErrorCode.NODE_REMOVED]);
  });

  it('allows one node-set change per block', () => {
    const overlay = new StateOverlay(genesisState(genesis));
    expect(executeTransaction(overlay, signTx(governance, 0n, addPayload('v3')), context)).toBeUndefined();
    expect(executeTransaction(overlay, signTx(governance, 1n, addPayload('v4', NodeRole.LEARNER, 4, 7004)), context)).toBe(ChainErrorCode.ONE_NODE_CHANGE_PER_BLOCK);
  });

  it('checks node fields before any state is consulted', () => {
    const bad: Array<[Partial<NodeAddPayload>, string]> = [
      [{ nodeId: 'has space' }, ChainErrorCode.BAD_NODE_INFO],
      [{ spkiSha256: new Uint8Array(31) }, ChainErrorCode.BAD_NODE_INFO],
      [{ p2pAddress: 'no-port' }, ChainErrorCode.BAD_NODE_INFO],
      [{ apiUrl: 'ftp://x' }, ChainErrorCode.BAD_NODE_INFO],
      [{ consensusPublicKey: new Uint8Array(32) }, ChainErrorCode.BAD_PUBLIC_KEY],
    ];
    for (const [change, code] of bad) {
      expect(() => signTx(governance, 0n, { ...addPayload('v9'), ...change })).toThrow(expect.objectContaining({ code }));
    }
  });

  it('round-trips through the canonical encoding', () => {
    const tx = signTx(governance, 0n, addPayload('v3', NodeRole.OBSERVER));
    expect(Transaction.fromBytes(tx.bytes, context.rules).body).toEqual(tx.body);
    const promote = signTx(governance, 1n, { type: TxType.NODE_PROMOTE, nodeId: 'v3' });
    expect(Transaction.fromBytes(promote.bytes, context.rules).body).toEqual(promote.body);
  });
});
