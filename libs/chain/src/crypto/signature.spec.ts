import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  generatePrivateKey,
  publicKeyOf,
  sha256,
  signDigest,
  signatureBackend,
  utf8,
  verifyDigest,
  verifyDigestNative,
  verifyDigestNoble,
  Transaction,
  TxType,
} from '#chain';
import { testAccount } from '../../../../test/support/chain-fixtures.js';

const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

interface NativeSigner {
  ecdsaSign(message: Uint8Array, privateKey: Uint8Array): { signature: Uint8Array };
}
const nativeSigner = createRequire(import.meta.url)('secp256k1/bindings') as NativeSigner;

function toHighS(signature: Uint8Array): Uint8Array {
  const s = BigInt(`0x${Buffer.from(signature.subarray(32)).toString('hex')}`);
  const high = (CURVE_ORDER - s).toString(16).padStart(64, '0');
  return Uint8Array.from([...signature.subarray(0, 32), ...Buffer.from(high, 'hex')]);
}

/** Both backends must give the same answer, and it must be `expected`. */
function expectBoth(signature: Uint8Array, digest: Uint8Array, publicKey: Uint8Array, expected: boolean): void {
  expect(verifyDigestNoble(signature, digest, publicKey)).toBe(expected);
  expect(verifyDigestNative(signature, digest, publicKey)).toBe(expected);
}

describe('secp256k1 signatures', () => {
  it('runs on native libsecp256k1 in this build', () => {
    expect(signatureBackend()).toBe('native-libsecp256k1');
  });

  it('noble-signed verifies natively, natively-signed verifies with noble, for random keys and digests', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (digest) => {
        const privateKey = generatePrivateKey();
        const publicKey = publicKeyOf(privateKey);
        const nobleSignature = signDigest(digest, privateKey);
        expectBoth(nobleSignature, digest, publicKey, true);
        const nativeSignature = nativeSigner.ecdsaSign(digest, privateKey).signature;
        expect(Buffer.from(nativeSignature).equals(Buffer.from(nobleSignature))).toBe(true); // both RFC 6979
        expectBoth(nativeSignature, digest, publicKey, true);
      }),
      { numRuns: 100 },
    );
  });

  it('rejects high-S, wrong key, flipped digest, truncated and all-zero signatures on both backends', () => {
    const account = testAccount('signer');
    const digest = sha256(utf8('message'));
    const signature = signDigest(digest, account.privateKey);
    expectBoth(toHighS(signature), digest, account.publicKey, false);
    expectBoth(signature, digest, testAccount('other').publicKey, false);
    const flipped = Uint8Array.from(digest);
    flipped[0] ^= 1;
    expectBoth(signature, flipped, account.publicKey, false);
    expectBoth(signature.subarray(0, 63), digest, account.publicKey, false);
    expectBoth(new Uint8Array(64), digest, account.publicKey, false);
    expectBoth(signature, digest, new Uint8Array(33), false);
    // The other point with the same x (parity byte flipped), and an x beyond the field: the
    // native side keeps parsed keys, so each must still be judged by its own bytes.
    const otherParity = Uint8Array.from(account.publicKey);
    otherParity[0] ^= 1;
    expectBoth(signature, digest, otherParity, false);
    expectBoth(signature, digest, Uint8Array.from([0x02, ...new Uint8Array(32).fill(0xff)]), false);
    expectBoth(signature, digest, account.publicKey, true);
  });

  it('a transaction signed for one chain does not verify as another chain', () => {
    const alice = testAccount('alice');
    const body = { chainId: 'chain-a', sender: alice.publicKey, nonce: 0n, payload: { type: TxType.TRANSFER, to: alice.address, amount: 1n } } as const;
    const tx = Transaction.sign(body, alice.privateKey);
    const moved = Transaction.fromParts({ ...body, chainId: 'chain-b' }, tx.signature);
    expect(tx.verifySignature()).toBe(true);
    expect(moved.verifySignature()).toBe(false);
    expect(verifyDigest(tx.signature, tx.signingDigest, alice.publicKey)).toBe(true);
  });
});
