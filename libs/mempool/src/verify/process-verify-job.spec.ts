import { DEFAULT_TX_LIMITS, encodeSignedTx, sha256, toHex, TxType } from '#chain';
import { describe, expect, it } from 'vitest';
import { CHAIN_ID, signTx, testAccount, transfer } from '../../../../test/support/chain-fixtures.js';
import { InlineTxVerifier } from './inline-verifier.js';
import { splitEvenly } from './local-verifier.js';
import { processVerifyJob } from './process-verify-job.js';

describe('processVerifyJob', () => {
  const alice = testAccount('alice');
  const bob = testAccount('bob');
  const valid = transfer(alice, bob, 5n, 1n);

  it('accepts a valid transaction and reports its id', () => {
    const [verdict] = processVerifyJob({ data: { chainId: CHAIN_ID, limits: DEFAULT_TX_LIMITS, txs: [valid.bytes] } }).results;
    expect(verdict).toEqual({ ok: true, hashHex: valid.hashHex });
  });

  it('gives each rejection its chain error code, with the hash of the submitted bytes', () => {
    const badSignature = valid.signature.slice();
    badSignature[5] ^= 0x80;
    const forged = encodeSignedTx(valid.bodyBytes, badSignature);
    const otherChain = signTx(alice, 1n, { type: TxType.TRANSFER, to: bob.address, amount: 1n }, 'elsewhere').bytes;
    const garbage = Uint8Array.of(0x0a, 0xff);
    const oversized = new Uint8Array(DEFAULT_TX_LIMITS.maxTxBytes + 1);
    const results = processVerifyJob({ data: { chainId: CHAIN_ID, limits: DEFAULT_TX_LIMITS, txs: [forged, otherChain, garbage, oversized] } }).results;
    expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual(['BAD_SIGNATURE', 'WRONG_CHAIN_ID', 'MALFORMED_TX', 'TX_TOO_LARGE']);
    expect(results.map((r) => r.hashHex)).toEqual([forged, otherChain, garbage, oversized].map((b) => toHex(sha256(b))));
  });

  it('reads base64 transactions (Bull jobs) exactly like bytes', () => {
    const txs = [valid.bytes, Uint8Array.of(1, 2, 3)];
    const fromBytes = processVerifyJob({ data: { chainId: CHAIN_ID, limits: DEFAULT_TX_LIMITS, txs } });
    const fromBase64 = processVerifyJob({ data: { chainId: CHAIN_ID, limits: DEFAULT_TX_LIMITS, txs: txs.map((b) => Buffer.from(b).toString('base64')) } });
    expect(fromBase64).toEqual(fromBytes);
  });

  it('backs InlineTxVerifier, which uses the default limits', async () => {
    const verifier = new InlineTxVerifier({ chainId: CHAIN_ID });
    expect(await verifier.verifyBatch([valid.bytes])).toEqual([{ ok: true, hashHex: valid.hashHex }]);
    expect(verifier.kind).toBe('inline');
  });
});

describe('splitEvenly', () => {
  it('keeps order and every item, in at most `parts` slices of at least `minSize`', () => {
    const items = Array.from({ length: 103 }, (_, i) => i);
    const slices = splitEvenly(items, 4, 10);
    expect(slices).toHaveLength(4);
    expect(slices.flat()).toEqual(items);
    expect(splitEvenly(items, 4, 60)).toHaveLength(1);
    expect(splitEvenly([], 4, 1)).toEqual([]);
  });
});
