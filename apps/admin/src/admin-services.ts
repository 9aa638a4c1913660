import type { DataSource } from 'typeorm';
import { AuditService } from './audit/audit.service.js';
import { AuthService } from './auth/auth.service.js';
import type { KeyVault } from './ca/key-vault.js';
import { CertificateService } from './certificates/certificate.service.js';
import { RevocationService } from './certificates/revocation.service.js';
import type { Clock } from './clock.js';
import type { AdminConfig } from './config.js';
import { GenesisService } from './consortium/genesis.service.js';
import { GovernanceSender, type TransactionSubmitter } from './consortium/governance.js';
import { NetworkNodesService } from './consortium/network-nodes.service.js';
import { ValidatorReader } from './consortium/validator-reader.js';
import { ValidatorStatusPoller } from './consortium/validator-status.js';
import { WriteLock } from './db/write-lock.js';
import { EnrollmentService } from './onboarding/enrollment.service.js';
import { InvitationService } from './onboarding/invitation.service.js';
import { MemberService } from './register/member.service.js';
import { OrganisationService } from './register/organisation.service.js';

/** Every service of the admin app, built once per process (the Nest shell only routes to them). */
export interface AdminServices {
  config: AdminConfig;
  clock: Clock;
  dataSource: DataSource;
  vault: KeyVault;
  lock: WriteLock;
  audit: AuditService;
  auth: AuthService;
  organisations: OrganisationService;
  members: MemberService;
  certificates: CertificateService;
  revocations: RevocationService;
  invitations: InvitationService;
  enrollments: EnrollmentService;
  genesis: GenesisService;
  governance: GovernanceSender;
  validatorStatus: ValidatorStatusPoller;
  network: NetworkNodesService;
}

/** Seams for tests and the devnet. */
export interface AdminServiceOptions {
  /** How governance transactions reach a validator (default: HTTP POST). */
  submitTransaction?: TransactionSubmitter;
  /** Used to poll validators and read the chain's node set (default: global fetch). */
  fetchImpl?: typeof fetch;
}

/** Wires the services together. */
export function createAdminServices(config: AdminConfig, dataSource: DataSource, vault: KeyVault, clock: Clock, options: AdminServiceOptions = {}): AdminServices {
  const lock = new WriteLock();
  const audit = new AuditService(dataSource, lock, clock);
  const auth = new AuthService(dataSource, lock, audit, clock, config.sessionTtlMs);
  const revocations = new RevocationService(dataSource, lock, vault, clock, config.crlValidityMs);
  const certificates = new CertificateService(dataSource, lock, vault, revocations, audit, clock);
  const members = new MemberService(dataSource, lock, certificates, revocations, audit, clock);
  const organisations = new OrganisationService(dataSource, lock, audit, clock);
  const invitations = new InvitationService(dataSource, lock, audit, clock);
  const enrollments = new EnrollmentService(dataSource, lock, members, certificates, () => vault.chainPems(), audit, clock);
  const genesis = new GenesisService(dataSource, lock, vault, audit, clock, config.chainId);
  const governance = new GovernanceSender(dataSource, lock, vault, genesis, audit, clock, options.submitTransaction);
  members.setListener(governance);
  const validatorStatus = new ValidatorStatusPoller(dataSource, clock, options.fetchImpl);
  const network = new NetworkNodesService(dataSource, genesis, governance, validatorStatus, new ValidatorReader(options.fetchImpl));
  return { config, clock, dataSource, vault, lock, audit, auth, organisations, members, certificates, revocations, invitations, enrollments, genesis, governance, validatorStatus, network };
}
