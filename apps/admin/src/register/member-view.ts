import type { MemberEntity } from '../db/entities/index.js';

/** A member as the API shows it. */
export interface MemberView {
  id: string;
  organisationId: string;
  name: string;
  role: string;
  status: string;
  accountPublicKey: string;
  nodeId: string | null;
  p2pAddress: string | null;
  restUrl: string | null;
  initialBalance: string;
  createdAt: string;
  updatedAt: string;
}

/** Copies the public fields of a member row. */
export function toMemberView(member: MemberEntity): MemberView {
  return {
    id: member.id,
    organisationId: member.organisationId,
    name: member.name,
    role: member.role,
    status: member.status,
    accountPublicKey: member.accountPublicKey,
    nodeId: member.nodeId,
    p2pAddress: member.p2pAddress,
    restUrl: member.restUrl,
    initialBalance: member.initialBalance,
    createdAt: member.createdAt,
    updatedAt: member.updatedAt,
  };
}
