import {
  buildBlock,
  chainRulesOf,
  Transaction,
  TxType,
  type BlockHeader,
  type BuiltBlock,
  type ChainRules,
  type Genesis,
  type TxPayload,
  type WorldState,
} from '#chain';
import { Mempool, type DroppedTx, type MempoolConfig } from '#mempool';
import { CHAIN_ID, genesisBlock, genesisState, signTx, testAccount, testGenesis, type TestAccount } from '../support/chain-fixtures.js';

/** A chain at its genesis with a pool on top, and the funded members `member-0..n-1`. */
export interface PoolHarness {
  genesis: Genesis;
  state: WorldState;
  rules: ChainRules;
  pool: Mempool;
  members: TestAccount[];
  governance: TestAccount;
  /** Builds a block from `candidates` in order, applies it, tells the pool; returns what happened. */
  commit(candidates: Iterable<Transaction>): { built: BuiltBlock; dropped: DroppedTx[] };
}

/** A pool on a fresh test chain. */
export function poolHarness(
  options: {
    members?: number;
    balance?: bigint;
    config?: Partial<MempoolConfig>;
    /** Whether `commit` passes the block's transactions to `onBlockCommitted` (targeted re-validation) or only hashes (full sweep). */
    passCommittedTxs?: boolean;
  } = {},
): PoolHarness {
  const genesis = testGenesis({ members: options.members ?? 4, balance: options.balance ?? 1_000_000n });
  const state = genesisState(genesis);
  const rules = chainRulesOf(genesis);
  const pool = new Mempool(options.config ?? {}, state, rules);
  const members = Array.from({ length: options.members ?? 4 }, (_, i) => testAccount(`member-${i}`));
  let head: BlockHeader = genesisBlock(genesis).header;
  return {
    genesis,
    state,
    rules,
    pool,
    members,
    governance: testAccount('governance'),
    commit(candidates) {
      const built = buildBlock(
        state,
        candidates,
        { parent: head, timestampMs: head.timestampMs + 1n, proposer: 'test', powDifficultyBits: 0, maxTxs: 100_000 },
        { rules, isVerified: (tx) => pool.isVerified(tx) },
      );
      state.apply(built.diff);
      head = built.block.header;
      const hashes = built.block.txs.map((tx) => tx.hashHex);
      const { dropped } = options.passCommittedTxs ? pool.onBlockCommitted(hashes, built.block.txs) : pool.onBlockCommitted(hashes);
      return { built, dropped };
    },
  };
}

// The pool trusts its caller to have verified signatures, so tests that only exercise pool
// bookkeeping use a placeholder signature instead of paying ~1 ms per real one.
const PLACEHOLDER_SIGNATURE = new Uint8Array(64).fill(1);

/** A transaction with a placeholder signature (never valid on chain). */
export function unsignedTx(from: TestAccount, nonce: bigint, payload: TxPayload, chainId = CHAIN_ID): Transaction {
  return Transaction.fromParts({ chainId, sender: from.publicKey, nonce, payload }, PLACEHOLDER_SIGNATURE);
}

/** A transfer with a placeholder signature. */
export function unsignedTransfer(from: TestAccount, to: TestAccount, amount: bigint, nonce: bigint): Transaction {
  return unsignedTx(from, nonce, { type: TxType.TRANSFER, to: to.address, amount });
}

/** A signed record write. */
export function recordTx(from: TestAccount, nonce: bigint, key: string, value = 'v'): Transaction {
  return signTx(from, nonce, { type: TxType.RECORD, key, value: new TextEncoder().encode(value) });
}

export { CHAIN_ID, signTx, testAccount, type TestAccount };
export { transfer } from '../support/chain-fixtures.js';
