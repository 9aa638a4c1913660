import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBlock, chainRulesOf, executeBlock, genesisState, toHex, TxType, type BlockHeader, type Transaction, type WorldState } from '#chain';
import { Mempool } from '#mempool';
import { genesisBlock, testAccount, testGenesis } from '../support/chain-fixtures.js';
import { recordTx, transfer } from './pool-fixtures.js';

// Two validators, each with its own state and pool, fed different subsets of the traffic (as
// REST, Kafka and gossip would), with the leadership moving between them (as under Raft). Each
// block is built by the leader from its pool and executed by the follower with full
// validation; both pools are then re-validated. Whatever either pool hands a leader must
// always be a valid block, and both states must stay identical. Node a re-validates only what
// each block touched (it is given the block's transactions), node b re-validates every sender.

const MEMBERS = 4;
const genesis = testGenesis({ members: MEMBERS, balance: 1000n });
const rules = chainRulesOf(genesis);
const members = Array.from({ length: MEMBERS }, (_, i) => testAccount(`member-${i}`));

type Event =
  | { kind: 'transfer'; sender: number; nonce: number; to: number; amount: number; at: 'a' | 'b' | 'both' }
  | { kind: 'record'; sender: number; nonce: number; key: number; at: 'a' | 'b' | 'both' }
  | { kind: 'block'; leader: 'a' | 'b'; maxTxs: number };

const where = fc.constantFrom<'a' | 'b' | 'both'>('a', 'b', 'both');
const eventArbitrary: fc.Arbitrary<Event> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('transfer' as const), sender: fc.nat(MEMBERS - 1), nonce: fc.nat(4), to: fc.nat(MEMBERS - 1), amount: fc.integer({ min: 1, max: 600 }), at: where }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('record' as const), sender: fc.nat(MEMBERS - 1), nonce: fc.nat(4), key: fc.nat(2), at: where }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('block' as const), leader: fc.constantFrom<'a' | 'b'>('a', 'b'), maxTxs: fc.integer({ min: 1, max: 6 }) }) },
);

interface Node {
  state: WorldState;
  pool: Mempool;
  /** Everything ever offered to this node's pool. */
  offered: Set<Transaction>;
}

/** Nothing the chain has made impossible may linger in the pool. */
function expectNoStaleTxs(node: Node): void {
  for (const tx of node.offered) {
    if (!node.pool.has(tx.hashHex)) continue;
    expect(tx.body.nonce).toBeGreaterThanOrEqual(node.state.account(toHex(tx.senderAddress))?.nonce ?? 0n);
    const payload = tx.body.payload;
    if (payload.type === TxType.RECORD) expect(node.state.record(payload.key)).toBeUndefined();
  }
}

function makeNode(): Node {
  const state = genesisState(genesis);
  return { state, pool: new Mempool({ maxTxs: 12, maxPerSender: 4 }, state, rules), offered: new Set() };
}

const signed = new Map<string, Transaction>();
function txOf(event: Exclude<Event, { kind: 'block' }>): Transaction {
  const { at: _at, ...identity } = event;
  const key = JSON.stringify(identity);
  let tx = signed.get(key);
  if (!tx) {
    tx =
      event.kind === 'transfer'
        ? transfer(members[event.sender], members[event.to], BigInt(event.amount), BigInt(event.nonce))
        : recordTx(members[event.sender], BigInt(event.nonce), `shared/${event.key}`);
    signed.set(key, tx);
  }
  return tx;
}

describe('two pools under one chain', () => {
  it('only ever hand a leader valid blocks and agree on the state', () => {
    fc.assert(
      fc.property(fc.array(eventArbitrary, { minLength: 5, maxLength: 40, size: 'medium' }), (events) => {
        const nodes: Record<'a' | 'b', Node> = { a: makeNode(), b: makeNode() };
        let head: BlockHeader = genesisBlock(genesis).header;
        for (const event of events) {
          if (event.kind !== 'block') {
            const tx = txOf(event);
            for (const name of event.at === 'both' ? (['a', 'b'] as const) : [event.at]) {
              nodes[name].pool.add(tx, name === 'a' ? 'rest' : 'peer');
              nodes[name].offered.add(tx);
            }
            continue;
          }
          const leader = nodes[event.leader];
          const follower = nodes[event.leader === 'a' ? 'b' : 'a'];
          const candidates = leader.pool.selectForBlock(event.maxTxs);
          const built = buildBlock(
            leader.state,
            candidates,
            { parent: head, timestampMs: head.timestampMs + 1n, proposer: event.leader, powDifficultyBits: 0, maxTxs: event.maxTxs },
            { rules, isVerified: (tx) => leader.pool.isVerified(tx) },
          );
          expect(built.rejected).toEqual([]);
          const executed = executeBlock(follower.state, built.block, head, { rules, isVerified: (tx) => follower.pool.isVerified(tx) }, 0);
          leader.state.apply(built.diff);
          follower.state.apply(executed.diff);
          expect(follower.state.root()).toEqual(leader.state.root());
          const hashes = built.block.txs.map((tx) => tx.hashHex);
          for (const node of [leader, follower]) {
            if (node === nodes.a) node.pool.onBlockCommitted(hashes, built.block.txs);
            else node.pool.onBlockCommitted(hashes);
            for (const hashHex of hashes) expect(node.pool.has(hashHex)).toBe(false);
            expect(node.pool.size()).toBe(node.pool.readyCount() + node.pool.queuedCount());
            expectNoStaleTxs(node);
          }
          head = built.block.header;
        }
        // Drain: whichever node leads, what is left must still commit cleanly.
        for (const name of ['a', 'b'] as const) {
          const node = nodes[name];
          const built = buildBlock(node.state, node.pool.selectForBlock(1000), { parent: head, timestampMs: head.timestampMs + 1n, proposer: name, powDifficultyBits: 0, maxTxs: 1000 }, { rules, isVerified: (tx) => node.pool.isVerified(tx) });
          expect(built.rejected).toEqual([]);
        }
      }),
      { seed: 31337, numRuns: 80 },
    );
  });
});
