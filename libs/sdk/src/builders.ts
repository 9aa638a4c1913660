import { MemberRole, parseAddress, Transaction, TxType, utf8, type TxBody } from '#chain';
import { AccordError } from '#common';
import type { KeyPair } from './keys.js';

/** What every transaction needs besides its payload. */
export interface TxEnvelope {
  chainId: string;
  signer: KeyPair;
  nonce: bigint;
}

function sign(envelope: TxEnvelope, payload: TxBody['payload']): Transaction {
  return Transaction.sign({ chainId: envelope.chainId, sender: envelope.signer.publicKey, nonce: envelope.nonce, payload }, envelope.signer.privateKey);
}

/** A signed transfer of `amount` (an unsigned 64-bit integer) to `to` (`0x` + 40 hex). */
export function buildTransfer(envelope: TxEnvelope, to: string, amount: bigint): Transaction {
  const address = parseAddress(to);
  if (!address) throw new AccordError('BAD_ADDRESS', `invalid address ${to}`);
  return sign(envelope, { type: TxType.TRANSFER, to: address, amount });
}

/** A signed write-once record (value up to 4 KiB). */
export function buildRecord(envelope: TxEnvelope, key: string, value: Uint8Array | string): Transaction {
  return sign(envelope, { type: TxType.RECORD, key, value: typeof value === 'string' ? utf8(value) : value });
}

/** A governance transaction admitting a member (signed by a governance key). */
export function buildMemberAdd(envelope: TxEnvelope, memberPublicKey: Uint8Array, role: 'client' | 'validator' | 'org-admin', organization: string): Transaction {
  const roles = { client: MemberRole.CLIENT, validator: MemberRole.VALIDATOR, 'org-admin': MemberRole.ORG_ADMIN } as const;
  return sign(envelope, { type: TxType.MEMBER_ADD, publicKey: memberPublicKey, role: roles[role], organization });
}

/** A governance transaction suspending, reinstating or removing a member. */
export function buildMemberChange(envelope: TxEnvelope, memberPublicKey: Uint8Array, change: 'suspend' | 'reinstate' | 'remove'): Transaction {
  const types = { suspend: TxType.MEMBER_SUSPEND, reinstate: TxType.MEMBER_REINSTATE, remove: TxType.MEMBER_REMOVE } as const;
  return sign(envelope, { type: types[change], publicKey: memberPublicKey });
}
