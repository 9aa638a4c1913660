import { encodeSignedTx, MemberRole, ProtoWriter, toHex, Transaction, TxType } from '#chain';
import { signTx, testAccount, transfer, type TestAccount } from '../../support/chain-fixtures.js';

/** Signed transactions that are each wrong in one way a real client gets wrong, as raw bytes. */
export interface TxSamples {
  /** Accepted by a fresh validator, in any order (one per fresh sender, at its next nonce). */
  valid: Uint8Array[];
  /** Each refused by admission for one reason (the value is the expected code or codes). */
  refused: ReadonlyArray<{ name: string; bytes: Uint8Array; codes: readonly string[] }>;
}

/** Flips one byte of a copy (never a no-op). */
export function flipByte(bytes: Uint8Array, at: number, mask: number): Uint8Array {
  const copy = bytes.slice();
  copy[at % copy.length] ^= mask % 255 || 1;
  return copy;
}

/**
 * Samples around `sender` on `chainId`: `nonce` is its next nonce, `committed` one of its
 * transactions already in the ledger (or undefined).
 */
export function txSamples(options: { chainId: string; sender: TestAccount; recipient: TestAccount; nonce: bigint; committed?: Transaction; maxTxBytes: number; freshSenders?: readonly TestAccount[] }): TxSamples {
  const { chainId, sender, recipient, nonce } = options;
  const fresh = (options.freshSenders ?? []).map((account) => transfer(account, recipient, 1n, 0n).bytes);
  const valid = transfer(sender, recipient, 1n, nonce);
  const otherBody = transfer(sender, recipient, 2n, nonce);
  const stranger = testAccount('fuzz-stranger');
  const refused: Array<{ name: string; bytes: Uint8Array; codes: readonly string[] }> = [
    { name: 'bad signature', bytes: Transaction.fromParts(valid.body, otherBody.signature).bytes, codes: ['BAD_SIGNATURE'] },
    { name: 'flipped signature byte', bytes: flipByte(valid.bytes, valid.bytes.length - 5, 0x40), codes: ['BAD_SIGNATURE'] },
    { name: 'flipped body byte', bytes: flipByte(valid.bytes, 12, 0x01), codes: ['BAD_SIGNATURE', 'MALFORMED_TX', 'NON_CANONICAL_ENCODING', 'BAD_PUBLIC_KEY', 'WRONG_CHAIN_ID'] },
    { name: 'wrong chain id', bytes: signTx(sender, nonce, valid.body.payload, `${chainId}-other`).bytes, codes: ['WRONG_CHAIN_ID', 'BAD_SIGNATURE'] },
    { name: 'nonce far ahead', bytes: transfer(sender, recipient, 1n, nonce + 1_000_000n).bytes, codes: ['NONCE_TOO_FAR'] },
    { name: 'unknown sender', bytes: transfer(stranger, recipient, 1n, 0n).bytes, codes: ['NOT_A_MEMBER'] },
    { name: 'governance without the key', bytes: signTx(sender, nonce, { type: TxType.MEMBER_ADD, publicKey: stranger.publicKey, role: MemberRole.CLIENT, organization: 'Fuzz' }).bytes, codes: ['NOT_GOVERNANCE'] },
    { name: 'amount over the balance', bytes: transfer(sender, recipient, 2n ** 63n, nonce).bytes, codes: ['INSUFFICIENT_BALANCE', 'AMOUNT_OVER_LIMIT'] },
    { name: 'self transfer', bytes: transfer(sender, sender, 1n, nonce).bytes, codes: ['SELF_TRANSFER'] },
    { name: 'oversize record', bytes: oversizeRecord(sender, chainId, nonce, options.maxTxBytes), codes: ['TX_TOO_LARGE', 'PAYLOAD_TOO_LARGE'] },
    { name: 'trailing byte', bytes: Uint8Array.from([...valid.bytes, 0]), codes: ['MALFORMED_TX'] },
    { name: 'non-canonical (zero nonce written out)', bytes: nonCanonical(sender, chainId), codes: ['NON_CANONICAL_ENCODING'] },
    { name: 'empty', bytes: new Uint8Array(0), codes: ['MALFORMED_TX', 'BAD_SIGNATURE', 'BAD_PUBLIC_KEY'] },
  ];
  if (options.committed) refused.push({ name: 'already committed', bytes: options.committed.bytes, codes: ['TX_ALREADY_COMMITTED'] });
  return { valid: [valid.bytes, ...fresh], refused };
}

/** A record transaction one value larger than the chain's transaction limit (signed without that limit). */
function oversizeRecord(sender: TestAccount, chainId: string, nonce: bigint, maxTxBytes: number): Uint8Array {
  const unlimited = { maxTxBytes: Number.MAX_SAFE_INTEGER, maxRecordValueBytes: Number.MAX_SAFE_INTEGER };
  return Transaction.sign({ chainId, sender: sender.publicKey, nonce, payload: { type: TxType.RECORD, key: 'fuzz/big', value: new Uint8Array(maxTxBytes) } }, sender.privateKey, unlimited).bytes;
}

/** A valid transfer whose body spells out its zero nonce (proto3 omits zeros: one encoding per tx). */
function nonCanonical(sender: TestAccount, chainId: string): Uint8Array {
  const payload = new ProtoWriter().bytes(1, testAccount('fuzz-recipient').address).uint64(2, 1n).finish();
  const body = Uint8Array.from([...new ProtoWriter().string(1, chainId).uint32(2, TxType.TRANSFER).bytes(3, sender.publicKey).finish(), 0x20, 0x00, ...new ProtoWriter().message(5, payload, true).finish()]);
  return encodeSignedTx(body, new Uint8Array(64).fill(1));
}

/** The hex forms clients send, right and wrong: plain, upper case, 0x-prefixed, odd length. */
export function hexForms(bytes: Uint8Array): string[] {
  const hex = toHex(bytes);
  return [hex, hex.toUpperCase(), `0x${hex}`, hex.slice(1), `${hex}0`, ` ${hex}`, hex.replace(/.{2}$/, 'zz')];
}
