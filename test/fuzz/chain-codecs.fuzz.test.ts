import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBlock, decodeBlockHeader, encodeBlock, encodeBlockHeader, MemberRole, toHex, Transaction, TxType, type Block, type BlockHeader, type TxPayload } from '#chain';
import { signTx, testAccount } from '../support/chain-fixtures.js';
import { fuzzDecoder } from './support/decoder-fuzz.js';
import { fuzzParameters } from './support/fuzz-config.js';

// Transactions and blocks arrive from clients, Kafka and peers: whatever the bytes, decoding
// ends in a value that re-encodes canonically or in a typed error.
const RUNS = 2_000;
const LIMITS = { maxTxBytes: 8192, maxRecordValueBytes: 4096 };
const sender = testAccount('fuzz-chain-sender');
const other = testAccount('fuzz-chain-other');

const payloads: TxPayload[] = [
  { type: TxType.TRANSFER, to: other.address, amount: 1n },
  { type: TxType.TRANSFER, to: other.address, amount: 2n ** 64n - 1n },
  { type: TxType.RECORD, key: 'contracts/2026/7', value: new TextEncoder().encode('sha256:abcd') },
  { type: TxType.RECORD, key: 'k', value: new Uint8Array(0) },
  { type: TxType.MEMBER_ADD, publicKey: other.publicKey, role: MemberRole.VALIDATOR, organization: 'Org ü' },
  { type: TxType.MEMBER_SUSPEND, publicKey: other.publicKey },
  { type: TxType.MEMBER_REMOVE, publicKey: other.publicKey },
  { type: TxType.MEMBER_REINSTATE, publicKey: other.publicKey },
];
// Signing is the slow part: a pool of signed transactions, varied enough for the mutations.
const pool: Transaction[] = payloads.flatMap((payload, i) => [0n, 1n, 2n ** 32n, 2n ** 64n - 9n].map((nonce) => signTx(sender, nonce + BigInt(i), payload, i % 2 ? 'accord-test' : 'c'.repeat(64))));

const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const header = (txCount: number): fc.Arbitrary<BlockHeader> =>
  fc.record({
    chainId: fc.string({ maxLength: 20 }),
    height: u64,
    prevHash: fc.uint8Array({ maxLength: 32 }),
    timestampMs: u64,
    txRoot: fc.uint8Array({ maxLength: 32 }),
    stateRoot: fc.uint8Array({ maxLength: 32 }),
    proposer: fc.string({ maxLength: 12 }),
    consensusData: fc.uint8Array({ maxLength: 16 }),
    txCount: fc.constant(txCount),
    powDifficultyBits: fc.nat({ max: 0xffff_ffff }),
    powNonce: u64,
  });
const block: fc.Arbitrary<Block> = fc.array(fc.constantFrom(...pool), { maxLength: 3 }).chain((txs) => header(txs.length).map((h) => ({ header: h, txs })));

describe('chain decoders under fuzzing', () => {
  it('Transaction.fromBytes: the accepted bytes are the canonical encoding of what was decoded', () => {
    fuzzDecoder(
      { name: 'Transaction.fromBytes', decode: (bytes) => Transaction.fromBytes(bytes, LIMITS), encode: (tx) => tx.bytes, valid: fc.constantFrom(...pool), view: (tx) => ({ hash: tx.hashHex, body: tx.body }) },
      fuzzParameters('chain:tx', RUNS),
    );
    // Accepting a transaction means accepting its exact bytes: one transaction, one hash.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(...pool), fc.nat(), (junk, tx, at) => {
        const bytes = Uint8Array.from([...tx.bytes.subarray(0, at % tx.bytes.length), ...junk, ...tx.bytes.subarray(at % tx.bytes.length)]);
        let decoded: Transaction | undefined;
        try {
          decoded = Transaction.fromBytes(bytes, LIMITS);
        } catch {
          return;
        }
        expect(toHex(decoded.bytes)).toBe(toHex(bytes));
      }),
      fuzzParameters('chain:tx-canonical', RUNS),
    );
  });

  it('decodeBlockHeader and decodeBlock', () => {
    fuzzDecoder({ name: 'decodeBlockHeader', decode: decodeBlockHeader, encode: encodeBlockHeader, valid: header(0) }, fuzzParameters('chain:header', RUNS));
    fuzzDecoder(
      { name: 'decodeBlock', decode: (bytes) => decodeBlock(bytes, LIMITS), encode: encodeBlock, valid: block, view: (b) => ({ header: b.header, txs: b.txs.map((tx) => tx.hashHex) }) },
      fuzzParameters('chain:block', RUNS),
    );
  });
});
