import type { EntityManager } from 'typeorm';
import { fromHex, NodeRole, TxType, type TxPayload } from '#chain';
import { AccordError } from '#common';
import { MemberEntity } from '../db/entities/index.js';
import type { NodeChangeItem } from './governance.js';
import { loadValidatorEntry } from './validator-entry.js';

/** Node-set changes as the outbox and the audit log name them. */
export type NodeChangeKind = 'node-add' | 'node-promote' | 'node-remove';

/**
 * The governance payload of a queued node-set change. NODE_ADD is built from the register at
 * send time, from the same entry the genesis lists its validators with, so a certificate
 * renewed while the change waited is the one the chain learns.
 */
export async function nodeChangePayload(manager: EntityManager, item: NodeChangeItem): Promise<TxPayload> {
  if (item.change === 'node-promote') return { type: TxType.NODE_PROMOTE, nodeId: item.nodeId };
  if (item.change === 'node-remove') return { type: TxType.NODE_REMOVE, nodeId: item.nodeId };
  const member = await manager.getRepository(MemberEntity).findOneBy({ id: item.memberId ?? '' });
  if (!member || member.role !== 'validator' || member.nodeId !== item.nodeId) throw new AccordError('VALIDATOR_NOT_FOUND', `no validator member with node id ${item.nodeId}`);
  if (member.status !== 'active') throw new AccordError('MEMBER_STATE', `validator ${item.nodeId} is ${member.status}, not active`);
  const entry = await loadValidatorEntry(manager, member);
  if (!entry) throw new AccordError('NO_ACTIVE_CERTIFICATE', `validator ${item.nodeId} has no active certificate`);
  return {
    type: TxType.NODE_ADD,
    nodeId: entry.nodeId,
    organization: entry.organization,
    consensusPublicKey: fromHex(entry.consensusPublicKey)!,
    spkiSha256: fromHex(entry.spkiSha256)!,
    p2pAddress: entry.p2pAddress,
    apiUrl: entry.apiUrl,
    role: item.role === 'observer' ? NodeRole.OBSERVER : NodeRole.LEARNER,
  };
}
