import { AuditEntryEntity } from './audit-entry.entity.js';
import { CertificateEntity } from './certificate.entity.js';
import { EnrollmentEntity } from './enrollment.entity.js';
import { InvitationEntity } from './invitation.entity.js';
import { KeyMaterialEntity } from './key-material.entity.js';
import { MemberEntity } from './member.entity.js';
import { OrganisationEntity } from './organisation.entity.js';
import { SessionEntity } from './session.entity.js';
import { SettingEntity } from './setting.entity.js';
import { UserEntity } from './user.entity.js';

export * from './audit-entry.entity.js';
export * from './certificate.entity.js';
export * from './enrollment.entity.js';
export * from './invitation.entity.js';
export * from './key-material.entity.js';
export * from './member.entity.js';
export * from './organisation.entity.js';
export * from './session.entity.js';
export * from './setting.entity.js';
export * from './user.entity.js';

/** Every entity of the admin register. */
export const ADMIN_ENTITIES = [
  OrganisationEntity,
  MemberEntity,
  CertificateEntity,
  InvitationEntity,
  EnrollmentEntity,
  UserEntity,
  SessionEntity,
  AuditEntryEntity,
  KeyMaterialEntity,
  SettingEntity,
];
