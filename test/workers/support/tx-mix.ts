import { encodeSignedTx, TxType, type Transaction } from '#chain';
import fc from 'fast-check';
import { CHAIN_ID, signTx, testAccount, transfer } from '../../support/chain-fixtures.js';

/** Order of the secp256k1 group: `n - s` turns a low-S signature into its high-S twin. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The kinds of transaction a verifier must tell apart. */
export type TxKind = 'valid' | 'bad-signature' | 'high-s' | 'wrong-chain' | 'garbage';

/** The verdict each kind must get (garbage: any rejection). */
export const EXPECTED_CODE: Record<Exclude<TxKind, 'garbage'>, string | undefined> = {
  valid: undefined,
  'bad-signature': 'BAD_SIGNATURE',
  'high-s': 'BAD_SIGNATURE',
  'wrong-chain': 'WRONG_CHAIN_ID',
};

function withSignature(tx: Transaction, signature: Uint8Array): Uint8Array {
  return encodeSignedTx(tx.bodyBytes, signature);
}

function highS(signature: Uint8Array): Uint8Array {
  const s = BigInt(`0x${Buffer.from(signature.subarray(32)).toString('hex')}`);
  const flipped = Uint8Array.from(Buffer.from((SECP256K1_N - s).toString(16).padStart(64, '0'), 'hex'));
  const out = signature.slice();
  out.set(flipped, 32);
  return out;
}

/** Pre-signed transactions of every kind (signing is the slow part, so it happens once). */
export function buildTxCorpus(perKind: number): Record<Exclude<TxKind, 'garbage'>, Uint8Array[]> {
  const alice = testAccount('verify-alice');
  const bob = testAccount('verify-bob');
  const corpus = { valid: [] as Uint8Array[], 'bad-signature': [] as Uint8Array[], 'high-s': [] as Uint8Array[], 'wrong-chain': [] as Uint8Array[] };
  for (let i = 0; i < perKind; i++) {
    const nonce = BigInt(i + 1);
    const tx = i % 2 === 0 ? transfer(alice, bob, BigInt(i + 10), nonce) : signTx(bob, nonce, { type: TxType.RECORD, key: `doc/${i}`, value: new Uint8Array([i & 0xff]) });
    corpus.valid.push(tx.bytes);
    const tampered = tx.signature.slice();
    tampered[40] ^= 0x01;
    corpus['bad-signature'].push(withSignature(transfer(alice, bob, BigInt(i + 1000), nonce), tampered));
    corpus['high-s'].push(withSignature(tx, highS(tx.signature)));
    corpus['wrong-chain'].push(signTx(alice, nonce, { type: TxType.TRANSFER, to: bob.address, amount: 5n }, `${CHAIN_ID}-other`).bytes);
  }
  return corpus;
}

/** One generated input and the kind it was made as. */
export interface MixedTx {
  kind: TxKind;
  bytes: Uint8Array;
}

/** Arbitrary mixes of the corpus and random garbage bytes. */
export function mixedTxs(corpus: ReturnType<typeof buildTxCorpus>, maxLength: number): fc.Arbitrary<MixedTx[]> {
  const pick = (kind: Exclude<TxKind, 'garbage'>) =>
    fc.nat({ max: corpus[kind].length - 1 }).map((index): MixedTx => ({ kind, bytes: corpus[kind][index] }));
  const garbage = fc.uint8Array({ minLength: 0, maxLength: 300 }).map((bytes): MixedTx => ({ kind: 'garbage', bytes }));
  return fc.array(fc.oneof(pick('valid'), pick('bad-signature'), pick('high-s'), pick('wrong-chain'), garbage), { minLength: 1, maxLength, size: 'max' });
}
