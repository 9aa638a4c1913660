import type { EntityManager } from 'typeorm';
import { AccordError } from '#common';
import { MemberEntity, type MemberRole } from '../db/entities/index.js';

/** Fields that describe a new member, from an enrollment or an admin. */
export interface NewMemberInput {
  organisationId: string;
  name: string;
  role: MemberRole;
  accountPublicKey: string;
  nodeId?: string | null;
  p2pAddress?: string | null;
  restUrl?: string | null;
  initialBalance?: string;
}

const COMPRESSED_KEY = /^0[23][0-9a-f]{64}$/;

/** Lower-cases and checks a compressed secp256k1 public key (33 bytes hex). */
export function normaliseAccountKey(hex: string): string {
  const key = hex.toLowerCase();
  if (!COMPRESSED_KEY.test(key)) throw new AccordError('ACCOUNT_KEY_INVALID', 'accountPublicKey must be a compressed secp256k1 public key (66 hex characters starting 02 or 03)');
  return key;
}

/** Checks the role-specific fields and uniqueness of a new member. */
export async function assertNewMemberAcceptable(manager: EntityManager, input: NewMemberInput): Promise<void> {
  normaliseAccountKey(input.accountPublicKey);
  if (input.role === 'validator' && (!input.nodeId || !input.p2pAddress || !input.restUrl)) {
    throw new AccordError('VALIDATOR_FIELDS_REQUIRED', 'a validator needs nodeId, p2pAddress and restUrl');
  }
  if (input.role !== 'validator' && input.nodeId) throw new AccordError('NODE_ID_NOT_ALLOWED', 'only validators have a node id');
  const repo = manager.getRepository(MemberEntity);
  if (await repo.findOneBy({ accountPublicKey: input.accountPublicKey.toLowerCase() })) {
    throw new AccordError('ACCOUNT_KEY_IN_USE', 'another member already uses this account public key');
  }
  if (input.nodeId && (await repo.findOneBy({ nodeId: input.nodeId }))) {
    throw new AccordError('NODE_ID_IN_USE', `node id ${input.nodeId} is already taken`);
  }
}
