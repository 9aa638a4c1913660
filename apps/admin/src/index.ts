/**
 * Public surface of the admin app for the `accord` CLI, the devnet and tests.
 */
export { startAdminApp, createAdminHttpApp, ADMIN_MAX_BODY_BYTES, type RunningAdminApp, type StartAdminOptions } from './app.js';
export { registerAdminCommands, runAdminInit, runAuditVerify, type CliOutput } from './cli.js';
export { initAdmin, type InitAdminOptions, type InitAdminResult } from './init.js';
export { loadAdminConfig, type AdminConfig, type AdminConfigOverrides } from './config.js';
export { verifyAuditChain } from './audit/verify-audit-chain.js';
export { AdminApiClient, publicAdminApi, type CreatedInvitation } from './client/admin-client.js';
export { enrollWithToken, waitForCertificate, type Enrolled, type EnrollOptions } from './client/enroll-client.js';
export type { TransactionSubmitter, NonceReader } from './consortium/governance.js';
