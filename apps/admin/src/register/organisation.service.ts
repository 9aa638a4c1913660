import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AccordError } from '#common';
import type { AuditService } from '../audit/audit.service.js';
import { iso, type Clock } from '../clock.js';
import { MemberEntity, OrganisationEntity } from '../db/entities/index.js';
import { writeTransaction, type WriteLock } from '../db/write-lock.js';
import { notFound } from '../errors.js';

/** An organisation with its member count. */
export interface OrganisationView {
  id: string;
  name: string;
  createdAt: string;
  memberCount: number;
}

/** The consortium's organisations. */
export class OrganisationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(actor: string, name: string): Promise<OrganisationView> {
    return writeTransaction(this.lock, this.dataSource, async (tx) => {
      const repo = tx.getRepository(OrganisationEntity);
      if (await repo.findOneBy({ name })) throw new AccordError('ORGANISATION_EXISTS', `organisation "${name}" already exists`);
      const organisation: OrganisationEntity = { id: randomUUID(), name, createdAt: iso(this.clock()) };
      await repo.insert(organisation);
      await this.audit.record({ actor, action: 'organisation.created', target: `organisation:${organisation.id}`, details: { name } }, tx);
      return { ...organisation, memberCount: 0 };
    });
  }

  async list(): Promise<OrganisationView[]> {
    const organisations = await this.dataSource.getRepository(OrganisationEntity).find({ order: { name: 'ASC' } });
    const members = await this.dataSource.getRepository(MemberEntity).find({ select: { organisationId: true } });
    const counts = new Map<string, number>();
    for (const member of members) counts.set(member.organisationId, (counts.get(member.organisationId) ?? 0) + 1);
    return organisations.map((organisation) => ({ ...organisation, memberCount: counts.get(organisation.id) ?? 0 }));
  }

  async get(id: string): Promise<OrganisationEntity> {
    const organisation = await this.dataSource.getRepository(OrganisationEntity).findOneBy({ id });
    if (!organisation) throw notFound('organisation', id);
    return organisation;
  }
}
