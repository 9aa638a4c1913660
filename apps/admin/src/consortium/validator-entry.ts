import type { EntityManager } from 'typeorm';
import type { GenesisValidator } from '#chain';
import { CertificateEntity, OrganisationEntity, type MemberEntity } from '../db/entities/index.js';

/**
 * How the chain knows a validator member: its node id, organisation, consensus key (the
 * member's account key), the SPKI SHA-256 of its active certificate (its p2p identity) and
 * its addresses. The genesis lists its first validators this way, and NODE_ADD carries the
 * same fields for the ones that join later, so both are built here.
 */
export function validatorEntry(member: MemberEntity, organisation: string, certificate: CertificateEntity): GenesisValidator {
  return {
    nodeId: member.nodeId!,
    organization: organisation,
    consensusPublicKey: member.accountPublicKey,
    spkiSha256: certificate.spkiSha256,
    p2pAddress: member.p2pAddress!,
    apiUrl: member.restUrl!,
  };
}

/** The member's newest active certificate (the one its TLS identity uses), if any. */
export function activeCertificateOf(certificates: readonly CertificateEntity[], memberId: string): CertificateEntity | undefined {
  return certificates.filter((cert) => cert.memberId === memberId && cert.status === 'active').sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
}

/** The chain entry of one validator member from the register, or undefined without an active certificate. */
export async function loadValidatorEntry(manager: EntityManager, member: MemberEntity): Promise<GenesisValidator | undefined> {
  const certificates = await manager.getRepository(CertificateEntity).find({ where: { memberId: member.id, status: 'active' } });
  const certificate = activeCertificateOf(certificates, member.id);
  if (!certificate) return undefined;
  const organisation = await manager.getRepository(OrganisationEntity).findOneByOrFail({ id: member.organisationId });
  return validatorEntry(member, organisation.name, certificate);
}
