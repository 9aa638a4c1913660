import { describe, expect, it } from 'vitest';
import { LtHash, utf8 } from '#chain';
import { CHAIN_ID, testAccount, transfer } from '../../../../test/support/chain-fixtures.js';
import { LocalTxVerifier } from './local-verifier.js';

describe('LocalTxVerifier signature checks', () => {
  it('answers each check in its own position across threads, false exactly where a signature or digest is wrong', async () => {
    const alice = testAccount('checks-alice');
    const bob = testAccount('checks-bob');
    const txs = Array.from({ length: 120 }, (_, i) => transfer(alice, bob, BigInt(i + 1), BigInt(i)));
    const checks = txs.map((tx) => ({ signature: tx.signature, digest: tx.signingDigest, publicKey: tx.body.sender }));
    const forged = Uint8Array.from(checks[37].signature);
    forged[10] ^= 1;
    checks[37] = { ...checks[37], signature: forged };
    checks[90] = { ...checks[90], digest: txs[91].signingDigest }; // a valid signature of another transaction
    checks[101] = { ...checks[101], publicKey: bob.publicKey };
    const verifier = new LocalTxVerifier({ chainId: CHAIN_ID, workers: 2, minTxsPerTask: 8 });
    try {
      const valid = await verifier.verifySignatureChecks(checks);
      expect(valid).toHaveLength(120);
      expect(valid.flatMap((ok, i) => (ok ? [] : [i]))).toEqual([37, 90, 101]);
      expect(await verifier.verifySignatureChecks([])).toEqual([]);
    } finally {
      await verifier.close();
    }
  });
});

describe('LocalTxVerifier state deltas (block sync)', () => {
  it('expands each block on the threads into the same lanes as this thread, in block order', async () => {
    const blocks = Array.from({ length: 9 }, (_, b) => ({
      removed: b === 0 ? [] : [utf8(`entry ${b - 1}`)],
      added: [utf8(`entry ${b}`), utf8(`other ${b}`)],
    }));
    const verifier = new LocalTxVerifier({ chainId: CHAIN_ID, workers: 2 });
    try {
      const deltas = await verifier.stateDeltas(blocks);
      expect(deltas.map((lanes) => Buffer.from(lanes.buffer, lanes.byteOffset, lanes.byteLength).toString('hex'))).toEqual(
        blocks.map((block) => {
          const lanes = LtHash.deltaOf(block.removed, block.added);
          return Buffer.from(lanes.buffer, lanes.byteOffset, lanes.byteLength).toString('hex');
        }),
      );
    } finally {
      await verifier.close();
    }
  });
});
