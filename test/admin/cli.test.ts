import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminApp } from '../../apps/admin/src/app.js';
import { registerAdminCommands, runAdminInit, runAuditVerify, type CliOutput } from '../../apps/admin/src/cli.js';
import { sqlitePath } from '../../apps/admin/src/db/data-source.js';
import { enrollBody, memberKeys } from './support/admin-fixture.js';

function collector(): CliOutput & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line), error: (line) => lines.push(line) };
}

describe('admin CLI: init, serve, audit-verify; secrets at rest', () => {
  let dataDir: string;
  let passphraseFile: string;
  let oneTimePassword: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-admin-cli-'));
    passphraseFile = join(dataDir, 'passphrase');
    writeFileSync(passphraseFile, 'cli-passphrase\n');
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('registers admin init / serve / audit-verify on the accord program', () => {
    const program = new Command('accord');
    registerAdminCommands(program);
    const admin = program.commands.find((command) => command.name() === 'admin')!;
    expect(admin.commands.map((command) => command.name()).sort()).toEqual(['audit-verify', 'init', 'serve']);
  });

  it('init creates the CA and prints a one-time password once; a second init is refused', async () => {
    const out = collector();
    expect(await runAdminInit({ dataDir, passphraseFile, name: 'Cli Consortium' }, out)).toBe(0);
    const line = out.lines.find((entry) => entry.startsWith('One-time password'))!;
    oneTimePassword = line.split(': ').pop()!;
    expect(oneTimePassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(out.lines.join('\n')).toContain('-----BEGIN CERTIFICATE-----');
    await expect(runAdminInit({ dataDir, passphraseFile, name: 'Again' }, collector())).rejects.toMatchObject({ code: 'ALREADY_INITIALISED' });
  });

  it('serves with the passphrase, refuses a wrong one, and the first login must change the password', async () => {
    await expect(startAdminApp({ config: { dataDir, port: 0, caPassphrase: 'wrong', validatorPollMs: 0 } })).rejects.toMatchObject({ code: 'KEY_DECRYPT' });
    const running = await startAdminApp({ config: { dataDir, port: 0, caPassphraseFile: passphraseFile, validatorPollMs: 0 } });
    try {
      const login = await fetch(`${running.url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: oneTimePassword }) });
      const session = (await login.json()) as { token: string; mustChangePassword: boolean };
      expect(session.mustChangePassword).toBe(true);
      const call = (method: string, path: string, body?: unknown) =>
        fetch(`${running.url}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
      expect((await call('POST', '/v1/auth/password', { currentPassword: oneTimePassword, newPassword: 'cli-admin-password' })).status).toBe(204);
      // Leave secrets behind that must not be stored in the clear: a PKCS#12 with a server key.
      const org = (await (await call('POST', '/v1/organisations', { name: 'Cli Org' })).json()) as { id: string };
      const invitation = (await (await call('POST', '/v1/invitations', { organisationId: org.id, role: 'client', autoApprove: true })).json()) as { token: string };
      const keys = await memberKeys('cli-client');
      const enrolled = (await (await fetch(`${running.url}/v1/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(enrollBody(invitation.token, keys)) })).json()) as { memberId: string };
      expect((await call('POST', '/v1/certificates/pkcs12', { memberId: enrolled.memberId, password: 'bundle-password' })).status).toBe(201);
      const docs = await fetch(`${running.url}/docs/`);
      expect(docs.status).toBe(200);
      expect(await docs.text()).toContain('swagger');
    } finally {
      await running.close();
    }
  });

  it('stores private keys only encrypted; openssl opens them with the passphrase only', () => {
    const db = new Database(sqlitePath(dataDir), { readonly: true });
    const keys = db.prepare('SELECT name, encrypted_key_pem AS pem FROM key_material ORDER BY name').all() as { name: string; pem: string }[];
    const dump = JSON.stringify(db.prepare('SELECT * FROM certificates').all()) + JSON.stringify(db.prepare('SELECT * FROM settings').all()) + JSON.stringify(db.prepare('SELECT * FROM audit_log').all());
    db.close();
    expect(keys.map((key) => key.name)).toEqual(['governance', 'issuing-ca', 'root-ca']);
    for (const key of keys) {
      expect(key.pem).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
      const opened = execFileSync('openssl', ['pkey', '-passin', 'pass:cli-passphrase', '-noout', '-text'], { input: key.pem, encoding: 'utf8' });
      expect(opened).toMatch(/Private-Key/);
      expect(() => execFileSync('openssl', ['pkey', '-passin', 'pass:nope', '-noout'], { input: key.pem, stdio: 'pipe' })).toThrow();
    }
    expect(dump).not.toContain('PRIVATE KEY');
    // Nothing unencrypted anywhere in the database files, WAL included.
    for (const file of [sqlitePath(dataDir), `${sqlitePath(dataDir)}-wal`]) {
      let bytes = '';
      try {
        bytes = readFileSync(file, 'latin1');
      } catch {
        continue;
      }
      expect(bytes).not.toContain('BEGIN PRIVATE KEY');
      expect(bytes).not.toContain('BEGIN RSA PRIVATE KEY');
    }
  });

  it('audit-verify succeeds through the commander program, and fails with exit code 1 after tampering', async () => {
    const program = new Command('accord').exitOverride();
    registerAdminCommands(program);
    process.exitCode = undefined;
    await program.parseAsync(['node', 'accord', 'admin', 'audit-verify', '--data-dir', dataDir]);
    expect(process.exitCode).toBe(0);
    const db = new Database(sqlitePath(dataDir));
    db.prepare(`UPDATE audit_log SET actor = 'mallory' WHERE seq = 2`).run();
    db.close();
    const out = collector();
    expect(await runAuditVerify({ dataDir }, out)).toBe(1);
    expect(out.lines[0]).toContain('BROKEN at seq 2');
    process.exitCode = undefined;
  });
});
