import { describe, expect, it } from 'vitest';
import {
  blockHash,
  buildBlock,
  chainRulesOf,
  ChainErrorCode,
  executeBlock,
  executeBlockChanges,
  executeTransaction,
  LtHash,
  PendingState,
  withStateRoot,
  MemberRole,
  StateOverlay,
  toHex,
  Transaction,
  TxType,
  type Block,
  type ExecutionContext,
  type WorldState,
} from '#chain';
import { CHAIN_ID, genesisBlock, genesisState, signTx, testAccount, testGenesis, transfer } from '../../../../test/support/chain-fixtures.js';

const genesis = testGenesis({ members: 3, balance: 1000n });
const [alice, bob, carol] = [0, 1, 2].map((i) => testAccount(`member-${i}`));
const governance = testAccount('governance');
const outsider = testAccount('outsider');
const context: ExecutionContext = { rules: chainRulesOf(genesis), height: 1n };

function run(state: WorldState, ...txs: Transaction[]): Array<string | undefined> {
  const overlay = new StateOverlay(state);
  return txs.map((tx) => executeTransaction(overlay, tx, context));
}

describe('state transition: every rejection has its own code', () => {
  const cases: Array<[string, () => Transaction[], string]> = [
    ['sender not a member', () => [transfer(outsider, bob, 1n, 0n)], ChainErrorCode.NOT_A_MEMBER],
    [
      'bad signature',
      () => {
        const good = transfer(alice, bob, 1n, 0n);
        const signature = Uint8Array.from(good.signature);
        signature[5] ^= 1;
        return [Transaction.fromParts(good.body, signature)];
      },
      ChainErrorCode.BAD_SIGNATURE,
    ],
    ['wrong chain id', () => [signTx(alice, 0n, { type: TxType.TRANSFER, to: bob.address, amount: 1n }, 'other-chain')], ChainErrorCode.WRONG_CHAIN_ID],
    ['nonce replay', () => [transfer(alice, bob, 1n, 0n), transfer(alice, carol, 1n, 0n)], ChainErrorCode.NONCE_REPLAY],
    ['nonce gap', () => [transfer(alice, bob, 1n, 1n)], ChainErrorCode.NONCE_GAP],
    ['overdraft', () => [transfer(alice, bob, 1001n, 0n)], ChainErrorCode.INSUFFICIENT_BALANCE],
    ['amount over the limit', () => [transfer(alice, bob, 1_000_000_000_001n, 0n)], ChainErrorCode.AMOUNT_OVER_LIMIT],
    ['transfer to self', () => [transfer(alice, alice, 1n, 0n)], ChainErrorCode.SELF_TRANSFER],
    [
      'record written twice',
      () => [signTx(alice, 0n, { type: TxType.RECORD, key: 'doc', value: Uint8Array.of(1) }), signTx(bob, 0n, { type: TxType.RECORD, key: 'doc', value: Uint8Array.of(2) })],
      ChainErrorCode.RECORD_EXISTS,
    ],
    ['governance by a member', () => [signTx(alice, 0n, { type: TxType.MEMBER_SUSPEND, publicKey: bob.publicKey })], ChainErrorCode.NOT_GOVERNANCE],
    [
      'suspended member sends',
      () => [signTx(governance, 0n, { type: TxType.MEMBER_SUSPEND, publicKey: alice.publicKey }), transfer(alice, bob, 1n, 0n)],
      ChainErrorCode.MEMBER_SUSPENDED,
    ],
    [
      'removed member sends',
      () => [signTx(governance, 0n, { type: TxType.MEMBER_REMOVE, publicKey: alice.publicKey }), transfer(alice, bob, 1n, 0n)],
      ChainErrorCode.NOT_A_MEMBER,
    ],
    ['member added twice', () => [signTx(governance, 0n, { type: TxType.MEMBER_ADD, publicKey: alice.publicKey, role: MemberRole.CLIENT, organization: 'O' })], ChainErrorCode.MEMBER_EXISTS],
    ['unknown member suspended', () => [signTx(governance, 0n, { type: TxType.MEMBER_SUSPEND, publicKey: outsider.publicKey })], ChainErrorCode.MEMBER_UNKNOWN],
    ['reinstating an active member', () => [signTx(governance, 0n, { type: TxType.MEMBER_REINSTATE, publicKey: alice.publicKey })], ChainErrorCode.BAD_MEMBER_STATUS],
  ];

  it.each(cases)('%s', (_name, build, code) => {
    const state = genesisState(genesis);
    const results = run(state, ...build());
    expect(results.slice(0, -1).every((r) => r === undefined)).toBe(true);
    expect(results.at(-1)).toBe(code);
  });

  it('oversized payloads and zero amounts are refused before any state is consulted', () => {
    expect(() => transfer(alice, bob, 0n, 0n)).toThrowError(expect.objectContaining({ code: ChainErrorCode.AMOUNT_ZERO }));
    expect(() => signTx(alice, 0n, { type: TxType.RECORD, key: 'big', value: new Uint8Array(5000) })).toThrowError(
      expect.objectContaining({ code: ChainErrorCode.PAYLOAD_TOO_LARGE }),
    );
  });

  it('a rejected transaction leaves the overlay untouched', () => {
    const state = genesisState(genesis);
    const overlay = new StateOverlay(state);
    expect(executeTransaction(overlay, transfer(alice, bob, 5000n, 0n), context)).toBe(ChainErrorCode.INSUFFICIENT_BALANCE);
    expect(toHex(overlay.diff().stateRoot)).toBe(toHex(state.root()));
  });

  it('governance: add, suspend, reinstate, remove; a removed member cannot come back', () => {
    const state = genesisState(genesis);
    const results = run(
      state,
      signTx(governance, 0n, { type: TxType.MEMBER_ADD, publicKey: outsider.publicKey, role: MemberRole.CLIENT, organization: 'Org9' }),
      signTx(governance, 1n, { type: TxType.MEMBER_SUSPEND, publicKey: outsider.publicKey }),
      signTx(governance, 2n, { type: TxType.MEMBER_REINSTATE, publicKey: outsider.publicKey }),
      signTx(outsider, 0n, { type: TxType.RECORD, key: 'hello', value: Uint8Array.of(1) }),
      signTx(governance, 3n, { type: TxType.MEMBER_REMOVE, publicKey: outsider.publicKey }),
      signTx(governance, 4n, { type: TxType.MEMBER_ADD, publicKey: outsider.publicKey, role: MemberRole.CLIENT, organization: 'Org9' }),
    );
    expect(results).toEqual([undefined, undefined, undefined, undefined, undefined, ChainErrorCode.MEMBER_REMOVED]);
  });
});

describe('blocks: build, execute, state root', () => {
  function buildOn(state: WorldState, txs: Transaction[]) {
    return buildBlock(state, txs, { parent: genesisBlock(genesis).header, timestampMs: 1n, proposer: 'v1', powDifficultyBits: 0, maxTxs: 100 }, { rules: context.rules });
  }

  it('the proposer drops invalid and duplicate transactions; replicas reach the same state root', () => {
    const proposerState = genesisState(genesis);
    const t1 = transfer(alice, bob, 10n, 0n);
    const built = buildOn(proposerState, [t1, t1, transfer(alice, carol, 5000n, 1n), transfer(bob, carol, 3n, 0n)]);
    expect(built.block.txs.map((tx) => tx.hashHex)).toHaveLength(2);
    expect(built.rejected.map((r) => r.code)).toEqual([ChainErrorCode.DUPLICATE_TX_IN_BLOCK, ChainErrorCode.INSUFFICIENT_BALANCE]);
    const replica = genesisState(genesis);
    const executed = executeBlock(replica, built.block, genesisBlock(genesis).header, { rules: context.rules }, 0);
    expect(toHex(executed.diff.stateRoot)).toBe(toHex(built.block.header.stateRoot));
    replica.apply(executed.diff);
    expect(replica.account(toHex(alice.address))).toEqual({ balance: 990n, nonce: 1n });
    expect(replica.account(toHex(carol.address))).toEqual({ balance: 1003n, nonce: 0n });
    expect(toHex(replica.recomputeAccumulator().digest())).toBe(toHex(replica.root()));
  });

  it('rejects a block with the same transaction twice, a wrong state root, wrong parent or wrong tx root', () => {
    const t1 = transfer(alice, bob, 10n, 0n);
    const built = buildOn(genesisState(genesis), [t1]);
    const parent = genesisBlock(genesis).header;
    const exec = (block: Block) => () => executeBlock(genesisState(genesis), block, parent, { rules: context.rules }, 0);
    const twice = buildOn(genesisState(genesis), [t1]);
    twice.block.txs.push(t1);
    twice.block.header.txCount = 2;
    expect(exec({ ...built.block, header: { ...built.block.header, stateRoot: new Uint8Array(32) } })).toThrowError(expect.objectContaining({ code: ChainErrorCode.BAD_STATE_ROOT }));
    expect(exec({ ...built.block, header: { ...built.block.header, prevHash: new Uint8Array(32) } })).toThrowError(expect.objectContaining({ code: ChainErrorCode.BAD_PARENT }));
    expect(exec({ ...built.block, header: { ...built.block.header, height: 2n } })).toThrowError(expect.objectContaining({ code: ChainErrorCode.BAD_BLOCK_HEIGHT }));
    expect(exec({ header: { ...built.block.header, txCount: 0 }, txs: [] })).toThrowError(expect.objectContaining({ code: ChainErrorCode.BAD_TX_ROOT }));
    expect(exec(twice.block)).toThrowError(expect.objectContaining({ code: ChainErrorCode.BAD_TX_ROOT }));
    expect(built.block.header.chainId).toBe(CHAIN_ID);
    expect(blockHash(built.block.header)).toHaveLength(32);
  });

  it('a block executed with its state root computed elsewhere ends where full execution does, and a wrong root is refused', () => {
    const parent = genesisBlock(genesis).header;
    const built = buildOn(genesisState(genesis), [transfer(alice, bob, 10n, 0n), transfer(bob, carol, 3n, 0n), signTx(alice, 1n, { type: TxType.RECORD, key: 'doc/1', value: Uint8Array.of(1) })]);
    const base = genesisState(genesis);
    const full = executeBlock(base, built.block, parent, { rules: context.rules }, 0);
    const deferred = executeBlockChanges(base, built.block, parent, { rules: context.rules }, 0);
    // Entries expand anywhere (a worker thread); the delta moves the accumulator by the same lanes.
    const delta = LtHash.deltaOf(deferred.entries.removed, deferred.entries.added);
    const completed = withStateRoot(deferred, base.lthash(), delta, built.block.header);
    expect(toHex(completed.diff.stateRoot)).toBe(toHex(full.diff.stateRoot));
    expect(toHex(completed.diff.lthash.toBytes())).toBe(toHex(full.diff.lthash.toBytes()));
    expect(completed.receipts).toEqual(full.receipts);
    expect(() => withStateRoot(deferred, base.lthash(), delta, { ...built.block.header, stateRoot: new Uint8Array(32) })).toThrowError(expect.objectContaining({ code: ChainErrorCode.BAD_STATE_ROOT }));
    // A delta of other entries (the block without its record) is caught too.
    const short = LtHash.deltaOf(deferred.entries.removed, deferred.entries.added.slice(1));
    expect(() => withStateRoot(deferred, base.lthash(), short, built.block.header)).toThrowError(expect.objectContaining({ code: ChainErrorCode.BAD_STATE_ROOT }));
  });

  it('pending changes without their commitment can be executed on, but have no commitment to build on', () => {
    const parent = genesisBlock(genesis).header;
    const first = buildOn(genesisState(genesis), [transfer(alice, bob, 10n, 0n)]);
    const pending = new PendingState(genesisState(genesis));
    pending.applyChanges(executeBlockChanges(pending, first.block, parent, { rules: context.rules }, 0).changes);
    expect(pending.account(toHex(alice.address))).toEqual({ balance: 990n, nonce: 1n });
    expect(() => pending.lthash()).toThrow(/not known yet/);
  });

  it('the state root does not depend on the order of independent updates', () => {
    const a = genesisState(genesis);
    const b = genesisState(genesis);
    const x = transfer(alice, carol, 7n, 0n);
    const y = transfer(bob, carol, 9n, 0n);
    expect(toHex(buildOn(a, [x, y]).block.header.stateRoot)).toBe(toHex(buildOn(b, [y, x]).block.header.stateRoot));
  });
});

describe('verified once: a signature checked at admission is not checked again', () => {
  it('skips verification for transactions the node vouches for, and verifies the others', () => {
    const good = transfer(alice, bob, 1n, 0n);
    const signature = Uint8Array.from(good.signature);
    signature[9] ^= 1;
    const forged = Transaction.fromParts(good.body, signature);
    const vouched: ExecutionContext = { ...context, isVerified: (tx) => tx === forged };
    // A node only vouches for transactions it verified; vouching for a forged one proves the
    // check is skipped, and not vouching proves unseen transactions are still verified.
    expect(executeTransaction(new StateOverlay(genesisState(genesis)), forged, vouched)).toBeUndefined();
    expect(executeTransaction(new StateOverlay(genesisState(genesis)), forged, { ...context, isVerified: () => false })).toBe(ChainErrorCode.BAD_SIGNATURE);
  });
});
