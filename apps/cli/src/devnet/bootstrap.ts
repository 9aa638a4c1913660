import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toHex } from '#chain';
import { createKeyAndCsr } from '#pki';
import { generateKeyPair, keyPairToJson } from '#sdk';
import { AdminApiClient, enrollWithToken, initAdmin, loadAdminConfig, publicAdminApi, waitForCertificate } from '../../../admin/src/index.js';
import type { DevnetLayout, DevnetState } from './layout.js';

/** Options of a new local consortium. */
export interface BootstrapOptions {
  consensus: 'raft' | 'pbft';
  validators: number;
  powBits: number;
  adminPort: number;
  firstRestPort: number;
  firstP2pPort: number;
  members: number;
  /** Where validator i (0-based) is reached; default 127.0.0.1 with consecutive ports. */
  addressOf?: (index: number) => { host: string; restPort: number; p2pPort: number };
}

function secret(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Creates the consortium's admin (CA, governance key, users) and writes the passphrase files;
 * returns the one-time password of the human admin account, created later through the API.
 */
export async function initDevnetAdmin(layout: DevnetLayout, chainId: string): Promise<void> {
  mkdirSync(layout.adminDir, { recursive: true, mode: 0o700 });
  writeFileSync(layout.passphraseFile, secret(), { mode: 0o600 });
  writeFileSync(layout.bootstrapPasswordFile, secret(), { mode: 0o600 });
  const config = loadAdminConfig({ dataDir: layout.adminDir, caPassphraseFile: layout.passphraseFile, chainId });
  await initAdmin(config, { consortiumName: 'Accord Devnet', adminUsername: 'devnet-bootstrap', passwordFile: layout.bootstrapPasswordFile });
}

/**
 * Onboards the network through the admin's real API, as an operator would: organisations,
 * validator invitations, enrollment with locally generated keys and CSRs (private keys never
 * leave this machine's files), funded client members, then the frozen genesis.
 */
export async function bootstrapConsortium(layout: DevnetLayout, adminUrl: string, bootstrapPassword: string, options: BootstrapOptions): Promise<{ state: DevnetState; adminOneTimePassword?: string }> {
  const admin = await AdminApiClient.login(adminUrl, 'devnet-bootstrap', bootstrapPassword);
  const created = await admin.request<{ oneTimePassword?: string }>('POST', '/v1/users', { username: 'admin', role: 'admin' });
  const validators: DevnetState['validators'] = [];
  for (let i = 0; i < options.validators; i++) {
    const nodeId = `validator-${i + 1}`;
    const { host, restPort, p2pPort } = options.addressOf?.(i) ?? { host: '127.0.0.1', restPort: options.firstRestPort + i, p2pPort: options.firstP2pPort + i };
    await enrollValidator(admin, adminUrl, layout, { nodeId, organisation: `Org${i + 1}`, p2pAddress: `${host}:${p2pPort}`, restUrl: `http://${host}:${restPort}` });
    validators.push({ nodeId, restPort, p2pPort });
  }
  mkdirSync(layout.keysDir, { recursive: true, mode: 0o700 });
  const clients = await admin.createOrganisation('Clients');
  const memberKeyFiles: string[] = [];
  for (let i = 0; i < options.members; i++) {
    const pair = generateKeyPair();
    const member = await admin.request<{ id: string }>('POST', '/v1/members', { organisationId: clients.id, name: `member-${i}`, role: 'client', accountPublicKey: toHex(pair.publicKey), initialBalance: '1000000000000' });
    // The member becomes active with its first certificate: a client certificate for REST mTLS,
    // from a CSR whose key stays in this member's files.
    const tls = await createKeyAndCsr({ commonName: `member-${i}`, organization: 'Clients' });
    const certificate = await admin.request<{ pem: string }>('POST', '/v1/certificates', { memberId: member.id, csrPem: tls.csrPem });
    const file = join(layout.keysDir, `member-${i}.json`);
    writeFileSync(file, `${JSON.stringify(keyPairToJson(pair), null, 2)}\n`, { mode: 0o600 });
    writeFileSync(join(layout.keysDir, `member-${i}.tls.key`), tls.privateKeyPem, { mode: 0o600 });
    writeFileSync(join(layout.keysDir, `member-${i}.tls.crt`), certificate.pem);
    memberKeyFiles.push(file);
  }
  await admin.generateGenesis({ consensus: options.consensus, blockIntervalMs: 50, maxTxsPerBlock: 2000, electionTimeoutMs: 1000, heartbeatIntervalMs: 100, powDifficultyBits: options.powBits });
  const genesis = await publicAdminApi.genesis(adminUrl);
  writeFileSync(layout.genesisPath, genesis.canonicalJson);
  return {
    state: { consensus: options.consensus, adminPort: options.adminPort, validators, memberKeyFiles },
    adminOneTimePassword: created.oneTimePassword,
  };
}

/**
 * Enrolls one validator as its operator would: a new organisation, an invitation, a key and CSR
 * generated here, the certificate once approved; writes its TLS directory and consensus key.
 */
export async function enrollValidator(
  admin: AdminApiClient,
  adminUrl: string,
  layout: DevnetLayout,
  validator: { nodeId: string; organisation: string; p2pAddress: string; restUrl: string },
): Promise<void> {
  const { nodeId } = validator;
  const ca = await publicAdminApi.ca(adminUrl);
  const organisation = await admin.createOrganisation(validator.organisation);
  const invitation = await admin.createInvitation({ organisationId: organisation.id, role: 'validator', autoApprove: true, note: `devnet ${nodeId}` });
  const enrolled = await enrollWithToken({ adminUrl, token: invitation.token, name: nodeId, organization: validator.organisation, nodeId, p2pAddress: validator.p2pAddress, restUrl: validator.restUrl });
  const approved = await waitForCertificate(adminUrl, enrolled, invitation.token);
  const tlsDir = layout.tlsDir(nodeId);
  mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(tlsDir, 'node.crt'), `${(approved.certificatePem ?? '').trim()}\n${ca.issuingCertPem.trim()}\n`);
  writeFileSync(join(tlsDir, 'node.key'), enrolled.privateKeyPem, { mode: 0o600 });
  writeFileSync(join(tlsDir, 'ca.crt'), `${ca.rootCertPem.trim()}\n${ca.issuingCertPem.trim()}\n`);
  writeFileSync(join(layout.validatorDir(nodeId), 'consensus-key.json'), `${JSON.stringify({ privateKey: enrolled.accountPrivateKeyHex, publicKey: enrolled.accountPublicKeyHex }, null, 2)}\n`, { mode: 0o600 });
}
