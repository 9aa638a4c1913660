import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyAndCsr, signEnrollmentProof } from '#pki';
import { generatePrivateKey, toHex } from '#chain';
import { startAdminApp, type RunningAdminApp, type StartAdminOptions } from '../../../apps/admin/src/app.js';
import { initAdmin } from '../../../apps/admin/src/init.js';
import { loadAdminConfig } from '../../../apps/admin/src/config.js';

export const ADMIN_PASSWORD = 'admin-password-for-tests';
export const PASSPHRASE = 'ca-passphrase-for-tests';

/** A started admin app on a temp SQLite register, with an admin already logged in. */
export interface AdminFixture {
  running: RunningAdminApp;
  url: string;
  dataDir: string;
  adminToken: string;
  /** JSON call with the admin token (or the given token / none). */
  call(method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number; body: unknown; headers: Headers; text: string }>;
  close(): Promise<void>;
}

/** Initialises a fresh consortium in a temp dir and starts the admin app on a random port. */
export async function startAdminFixture(options: StartAdminOptions = {}): Promise<AdminFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'accord-admin-'));
  const passwordFile = join(dataDir, 'admin-password');
  writeFileSync(passwordFile, `${ADMIN_PASSWORD}\n`);
  const overrides = { dataDir, caPassphrase: PASSPHRASE, port: 0, validatorPollMs: 0, ...options.config };
  await initAdmin(loadAdminConfig(overrides, {}), { consortiumName: 'Test Consortium', passwordFile });
  const running = await startAdminApp({ ...options, config: overrides });
  const call: AdminFixture['call'] = async (method, path, body, token) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const bearer = token === undefined ? fixture.adminToken : token;
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    const response = await fetch(`${running.url}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (CRL, HTML)
    }
    return { status: response.status, body: parsed, headers: response.headers, text };
  };
  const fixture: AdminFixture = {
    running,
    url: running.url,
    dataDir,
    adminToken: '',
    call,
    close: async () => {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const login = await call('POST', '/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD }, null);
  if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${login.text}`);
  fixture.adminToken = (login.body as { token: string }).token;
  return fixture;
}

/** What a member prepares locally before enrolling. */
export interface MemberKeys {
  privateKeyPem: string;
  csrPem: string;
  accountPrivateKeyHex: string;
}

/** A fresh RSA key + CSR and a secp256k1 account key. */
export async function memberKeys(commonName: string): Promise<MemberKeys> {
  const { privateKeyPem, csrPem } = await createKeyAndCsr({ commonName, organization: 'Member Org' });
  return { privateKeyPem, csrPem, accountPrivateKeyHex: toHex(generatePrivateKey()) };
}

/** The `POST /v1/enroll` body for a token and keys. */
export function enrollBody(token: string, keys: MemberKeys, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const proof = signEnrollmentProof({ token, csrPem: keys.csrPem, accountPrivateKeyHex: keys.accountPrivateKeyHex });
  return { token, name: 'Member', csrPem: keys.csrPem, accountPublicKey: proof.accountPublicKeyHex, proofSignature: proof.signatureHex, ...extra };
}
