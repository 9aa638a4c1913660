import type { DataSource, EntityManager } from 'typeorm';
import { HttpAccordError } from '#common';
import { issueCertificate, issuePkcs12, renewCertificate, type CertificateProfile, type IssuedCertificate } from '#pki';
import type { AuditService } from '../audit/audit.service.js';
import type { KeyVault } from '../ca/key-vault.js';
import { iso, type Clock } from '../clock.js';
import { CertificateEntity, MemberEntity, OrganisationEntity } from '../db/entities/index.js';
import { writeTransaction, type WriteLock } from '../db/write-lock.js';
import { notFound } from '../errors.js';
import { toCertificateView, type CertificateView } from './certificate-view.js';
import type { RevocationReason } from './revocation-reasons.js';
import type { RevocationService } from './revocation.service.js';
import { validatorSans } from './validator-sans.js';

/** Filters for listing certificates. */
export interface CertificateFilter {
  memberId?: string;
  status?: string;
}

/** The one-time PKCS#12 answer: the key inside is never stored. */
export interface Pkcs12Result {
  certificate: CertificateView;
  pkcs12Base64: string;
}

/** Issues, renews, lists and revokes member certificates. */
export class CertificateService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
    private readonly vault: KeyVault,
    private readonly revocations: RevocationService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(filter: CertificateFilter = {}): Promise<CertificateView[]> {
    const where: Partial<Pick<CertificateEntity, 'memberId' | 'status'>> = {};
    if (filter.memberId) where.memberId = filter.memberId;
    if (filter.status === 'active' || filter.status === 'revoked') where.status = filter.status;
    const rows = await this.dataSource.getRepository(CertificateEntity).find({ where, order: { createdAt: 'DESC' } });
    const now = this.clock();
    return rows.map((row) => toCertificateView(row, now));
  }

  async count(): Promise<number> {
    return this.dataSource.getRepository(CertificateEntity).count();
  }

  async get(serial: string): Promise<CertificateView> {
    return toCertificateView(await this.row(serial), this.clock());
  }

  /** Issues from a member's CSR (profile from the member's role); an invited member becomes active. */
  async issueFromCsr(actor: string, memberId: string, csrPem: string, validityDays?: number, manager?: EntityManager): Promise<CertificateView> {
    const run = async (tx: EntityManager): Promise<CertificateView> => {
      const { member, organisation } = await this.memberWithOrganisation(tx, memberId);
      const issued = issueCertificate({ issuer: this.vault.issuer(), csrPem, validityDays, now: this.clock(), ...this.subjectOf(member, organisation) });
      const view = await this.store(tx, member, issued);
      if (member.status === 'invited') await tx.getRepository(MemberEntity).update({ id: member.id }, { status: 'active', updatedAt: iso(this.clock()) });
      await this.audit.record({ actor, action: 'certificate.issued', target: `certificate:${issued.serialHex}`, details: { memberId, profile: member.role, source: 'csr' } }, tx);
      return view;
    };
    return manager ? run(manager) : writeTransaction(this.lock, this.dataSource, run);
  }

  /** Generates the key on the server and returns it once inside a password-protected PKCS#12. */
  async issuePkcs12(actor: string, memberId: string, password: string, validityDays?: number): Promise<Pkcs12Result> {
    return writeTransaction(this.lock, this.dataSource, async (tx) => {
      const { member, organisation } = await this.memberWithOrganisation(tx, memberId);
      const bundle = await issuePkcs12({ issuer: this.vault.issuer(), chainPems: this.vault.chainPems(), password, validityDays, now: this.clock(), ...this.subjectOf(member, organisation) });
      const view = await this.store(tx, member, bundle);
      if (member.status === 'invited') await tx.getRepository(MemberEntity).update({ id: member.id }, { status: 'active', updatedAt: iso(this.clock()) });
      await this.audit.record({ actor, action: 'certificate.issued', target: `certificate:${bundle.serialHex}`, details: { memberId, profile: member.role, source: 'pkcs12' } }, tx);
      return { certificate: view, pkcs12Base64: Buffer.from(bundle.pkcs12Der).toString('base64') };
    });
  }

  /** Renews with the same key, or with the key of a new CSR; the old certificate stays as it is. */
  async renew(actor: string, serial: string, csrPem?: string, validityDays?: number): Promise<CertificateView> {
    return writeTransaction(this.lock, this.dataSource, async (tx) => {
      const old = await this.row(serial, tx);
      if (old.status === 'revoked') throw new HttpAccordError(409, 'CERTIFICATE_REVOKED', `certificate ${serial} is revoked; issue a new one instead`);
      const { member } = await this.memberWithOrganisation(tx, old.memberId);
      this.assertMemberUsable(member);
      const sans = member.role === 'validator' ? validatorSans(member.p2pAddress, member.restUrl) : undefined;
      const issued = renewCertificate({ issuer: this.vault.issuer(), certPem: old.pem, csrPem, sans, validityDays, now: this.clock() });
      const view = await this.store(tx, member, issued);
      await this.audit.record({ actor, action: 'certificate.renewed', target: `certificate:${issued.serialHex}`, details: { previousSerial: serial, newKey: Boolean(csrPem) } }, tx);
      return view;
    });
  }

  /** Revokes one certificate, bumps the revocation version and re-signs the CRL. */
  async revoke(actor: string, serial: string, reason: RevocationReason): Promise<CertificateView> {
    const view = await writeTransaction(this.lock, this.dataSource, async (tx) => {
      const row = await this.row(serial, tx);
      if (row.status === 'revoked') throw new HttpAccordError(409, 'CERTIFICATE_REVOKED', `certificate ${serial} is already revoked`);
      await this.markRevoked(tx, row, reason);
      await this.audit.record({ actor, action: 'certificate.revoked', target: `certificate:${serial}`, details: { reason, memberId: row.memberId } }, tx);
      return toCertificateView(await this.row(serial, tx), this.clock());
    });
    await this.lock.run(() => this.revocations.regenerateCrl());
    return view;
  }

  /** Revokes every active certificate of a member (member removal), inside the caller's transaction. */
  async revokeAllOfMember(tx: EntityManager, memberId: string, reason: RevocationReason): Promise<string[]> {
    const rows = await tx.getRepository(CertificateEntity).findBy({ memberId, status: 'active' });
    for (const row of rows) await this.markRevoked(tx, row, reason);
    return rows.map((row) => row.serial);
  }

  private async markRevoked(tx: EntityManager, row: CertificateEntity, reason: RevocationReason): Promise<void> {
    await tx.getRepository(CertificateEntity).update({ serial: row.serial }, { status: 'revoked', revocationReason: reason, revokedAt: iso(this.clock()) });
    await this.revocations.bumpVersion(tx);
  }

  private subjectOf(member: MemberEntity, organisation: OrganisationEntity): { profile: CertificateProfile; subjectId: string; organization: string; sans?: ReturnType<typeof validatorSans> } {
    this.assertMemberUsable(member);
    if (member.role === 'validator') {
      return { profile: 'validator', subjectId: member.nodeId!, organization: organisation.name, sans: validatorSans(member.p2pAddress, member.restUrl) };
    }
    return { profile: member.role, subjectId: member.id, organization: organisation.name };
  }

  private assertMemberUsable(member: MemberEntity): void {
    if (member.status === 'revoked' || member.status === 'suspended') {
      throw new HttpAccordError(409, 'MEMBER_STATE', `member ${member.id} is ${member.status}`);
    }
  }

  private async store(tx: EntityManager, member: MemberEntity, issued: IssuedCertificate): Promise<CertificateView> {
    const row: CertificateEntity = {
      serial: issued.serialHex,
      memberId: member.id,
      profile: member.role,
      pem: issued.certPem,
      spkiSha256: issued.spkiSha256,
      fingerprintSha256: issued.fingerprintSha256,
      notBefore: iso(issued.notBefore),
      notAfter: iso(issued.notAfter),
      status: 'active',
      revocationReason: null,
      revokedAt: null,
      createdAt: iso(this.clock()),
    };
    await tx.getRepository(CertificateEntity).insert(row);
    return toCertificateView(row, this.clock());
  }

  private async row(serial: string, manager: EntityManager = this.dataSource.manager): Promise<CertificateEntity> {
    const row = await manager.getRepository(CertificateEntity).findOneBy({ serial: serial.toLowerCase() });
    if (!row) throw notFound('certificate', serial);
    return row;
  }

  private async memberWithOrganisation(tx: EntityManager, memberId: string): Promise<{ member: MemberEntity; organisation: OrganisationEntity }> {
    const member = await tx.getRepository(MemberEntity).findOneBy({ id: memberId });
    if (!member) throw notFound('member', memberId);
    const organisation = await tx.getRepository(OrganisationEntity).findOneByOrFail({ id: member.organisationId });
    return { member, organisation };
  }
}
