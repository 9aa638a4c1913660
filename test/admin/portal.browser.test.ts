import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePrivateKey, publicKeyOf, toHex } from '#chain';
import { ADMIN_PASSWORD, enrollBody, memberKeys, startAdminFixture, type AdminFixture } from './support/admin-fixture.js';
import { opensslCrlText } from './support/openssl.js';

const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'portal');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

describe('admin portal in headless Chromium', () => {
  let fx: AdminFixture;
  let context: BrowserContext;
  let page: Page;
  let profileDir: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    fx = await startAdminFixture();
    profileDir = mkdtempSync(join(tmpdir(), 'accord-portal-profile-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1440, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // Expected 4xx answers (no genesis yet, a wrong password) show up as resource errors.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
    });
  });
  afterAll(async () => {
    await context?.close();
    await fx?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  const nav = (name: string | RegExp) => page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name });
  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  it('logs in, invites, approves an API enrollment, revokes, and the CRL lists the serial', async () => {
    await page.goto(`${fx.url}/portal/`);
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);
    await shot('01-login');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('INVALID_CREDENTIALS');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Overview' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('Verified').isVisible()).toBe(true);
    await shot('02-overview');

    await nav('Organisations').click();
    await expect.poll(() => page.getByText('No organisations yet').isVisible()).toBe(true);
    await page.getByLabel('Organisation name').fill('Acme Bank');
    await page.getByRole('button', { name: 'Add organisation' }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'Acme Bank' }).isVisible()).toBe(true);
    await shot('03-organisations');

    await nav('Invitations').click();
    await page.getByLabel('Role').selectOption('validator');
    await page.getByLabel('Note').fill('Acme validator 1');
    await page.getByRole('button', { name: 'Create invitation' }).click();
    const tokenInput = page.getByRole('textbox', { name: 'Enrollment token' });
    await expect.poll(() => tokenInput.isVisible()).toBe(true);
    const token = await tokenInput.inputValue();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect.poll(() => page.getByRole('cell', { name: 'Acme validator 1' }).isVisible()).toBe(true);
    await shot('04-invitation-token');

    // The member enrolls through the API with its own CSR and account key.
    const keys = await memberKeys('acme-validator-1');
    const enrolled = await fx.call('POST', '/v1/enroll', enrollBody(token, keys, { name: 'Acme validator 1', nodeId: 'acme-1', p2pAddress: '127.0.0.1:7401', restUrl: 'http://127.0.0.1:8401' }), null);
    expect(enrolled.status).toBe(201);

    await nav(/Enrollments/).click();
    await expect.poll(() => page.getByRole('button', { name: 'Approve Acme validator 1' }).isVisible()).toBe(true);
    await shot('05-pending-enrollment');
    await page.getByRole('button', { name: 'Approve Acme validator 1' }).click();
    await page.getByRole('button', { name: 'Approve and issue' }).click();
    await expect.poll(() => page.getByText('No pending enrollments').isVisible()).toBe(true);
    const certificates = (await fx.call('GET', '/v1/certificates')).body as { serial: string; profile: string }[];
    expect(certificates).toHaveLength(1);
    const serial = certificates[0]!.serial;
    await expect.poll(() => page.getByRole('cell', { name: serial }).isVisible()).toBe(true);
    await shot('06-approved');

    await nav('Members').click();
    await expect.poll(() => page.getByRole('cell', { name: /acme-1/ }).isVisible()).toBe(true);
    await shot('07-members');

    // A member registered directly (with a genesis balance), then given a server-generated key.
    const treasuryKey = toHex(publicKeyOf(generatePrivateKey()));
    const register = page.getByRole('form', { name: 'Register member' });
    await register.getByLabel('Name').fill('Acme treasury');
    await register.getByLabel('Initial balance').fill('250000');
    await register.getByLabel(/Account public key/).fill(treasuryKey);
    await register.getByRole('button', { name: 'Register member' }).click();
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'Acme treasury' }).getByText('invited').isVisible()).toBe(true);
    await shot('07b-member-registered');
    await nav('Certificates').click();
    const bundle = page.getByRole('form', { name: 'Issue PKCS#12 bundle' });
    await bundle.getByLabel('Member').selectOption({ label: 'Acme treasury (client)' });
    await bundle.getByLabel('Bundle password').fill('bundle-password-1');
    const downloadEvent = page.waitForEvent('download');
    await bundle.getByRole('button', { name: /Generate and download/ }).click();
    const download = await downloadEvent;
    expect(download.suggestedFilename()).toMatch(/^[0-9a-f]+\.p12$/);
    const p12Path = join(profileDir, 'bundle.p12');
    await download.saveAs(p12Path);
    expect(execFileSync('openssl', ['pkcs12', '-in', p12Path, '-passin', 'pass:bundle-password-1', '-nokeys', '-clcerts'], { encoding: 'utf8' })).toContain('BEGIN CERTIFICATE');

    await nav('Certificates').click();
    await expect.poll(() => page.getByRole('button', { name: `Revoke ${serial}` }).isVisible()).toBe(true);
    await shot('08-certificates');
    const pemDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: `Download PEM ${serial}` }).click();
    const pemPath = join(profileDir, 'leaf.pem');
    await (await pemDownload).saveAs(pemPath);
    expect(readFileSync(pemPath, 'utf8')).toContain('-----BEGIN CERTIFICATE-----');
    await page.getByRole('button', { name: `Revoke ${serial}` }).click();
    await page.getByRole('dialog').getByLabel('Reason').selectOption('keyCompromise');
    await shot('09-revoke-dialog');
    await page.getByRole('button', { name: 'Revoke certificate' }).click();
    await expect.poll(() => page.getByRole('row').filter({ hasText: serial }).getByText('revoked', { exact: true }).isVisible()).toBe(true);
    await shot('10-revoked');

    const crlPem = (await fx.call('GET', '/v1/crl', undefined, null)).text;
    const crl = new x509.X509Crl(crlPem.replace('X509 CRL', 'X509 CRL'));
    const listed = crl.entries.map((entry) => entry.serialNumber.toLowerCase().replace(/^0+/, ''));
    expect(listed).toContain(serial);
    expect(opensslCrlText(crlPem)).toMatch(/Key Compromise/);

    await nav('Validators & genesis').click();
    await expect.poll(() => page.getByRole('cell', { name: 'acme-1' }).isVisible()).toBe(true);
    await shot('11-validators');
    await nav('Audit log').click();
    await expect.poll(() => page.getByText(/Chain verified/).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('cell', { name: 'certificate.revoked' }).isVisible()).toBe(true);
    await shot('12-audit');

    expect(pageErrors).toEqual([]);
  });

  it('creates an auditor who must choose a password and then sees a read-only portal', async () => {
    await nav('Users').click();
    await page.getByLabel('Username').fill('auditor.jane');
    await page.getByLabel('Role').selectOption('auditor');
    await page.getByRole('button', { name: 'Add user' }).click();
    const otpInput = page.getByRole('textbox', { name: 'One-time password' });
    await expect.poll(() => otpInput.isVisible()).toBe(true);
    const oneTimePassword = await otpInput.inputValue();
    await expect.poll(() => page.getByRole('cell', { name: 'auditor.jane', exact: true }).isVisible()).toBe(true);
    await shot('13-users');
    // Disable and re-enable from the table (the confirmation dialog each time).
    await page.getByRole('button', { name: 'Disable auditor.jane' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Disable' }).click();
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'auditor.jane' }).getByText('disabled', { exact: true }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Enable auditor.jane' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Enable' }).click();
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'auditor.jane' }).getByText('enabled', { exact: true }).isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);
    await page.getByLabel('Username').fill('auditor.jane');
    await page.getByLabel('Password').fill(oneTimePassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Choose your password' }).isVisible()).toBe(true);
    await shot('14-choose-password');
    await page.getByLabel('One-time password').fill(oneTimePassword);
    await page.getByLabel('New password', { exact: true }).fill('auditor-jane-password');
    await page.getByLabel('Repeat new password').fill('auditor-jane-password');
    await page.getByRole('button', { name: 'Set password' }).click();
    await expect.poll(() => page.getByText('Signed in as').textContent()).toContain('auditor.jane');

    await nav('Certificates').click();
    await expect.poll(() => page.getByRole('button', { name: /^Download PEM / }).first().isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: /^(Revoke|Renew) / }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Issue certificate' }).count()).toBe(0);
    await nav('Invitations').click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Invitations' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Create invitation' }).count()).toBe(0);
    await shot('15-auditor-invitations');
    expect(pageErrors).toEqual([]);
  });

  it('shows live validator status and freezes the genesis once every validator has a certificate', async () => {
    const status = createServer((request, response) => {
      if (request.url === '/v1/status') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ nodeId: 'acme-2', height: 7, consensus: { type: 'raft', role: 'leader' }, peers: ['acme-1', 'x'] }));
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => status.listen(0, '127.0.0.1', resolve));
    try {
      const restUrl = `http://127.0.0.1:${(status.address() as AddressInfo).port}`;
      const organisationId = ((await fx.call('GET', '/v1/organisations')).body as { id: string }[])[0]!.id;
      const { token } = (await fx.call('POST', '/v1/invitations', { organisationId, role: 'validator', autoApprove: true })).body as { token: string };
      const keys = await memberKeys('acme-2');
      expect((await fx.call('POST', '/v1/enroll', enrollBody(token, keys, { name: 'Acme validator 2', nodeId: 'acme-2', p2pAddress: '127.0.0.1:7402', restUrl }), null)).body).toMatchObject({ status: 'approved' });
      await fx.running.services.validatorStatus.pollOnce();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect.poll(() => page.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await nav('Validators & genesis').click();
      const row = page.getByRole('row').filter({ hasText: 'acme-2' });
      await expect.poll(() => row.getByText('online').isVisible()).toBe(true);
      await expect.poll(() => row.getByText('height 7 · leader · 2 peers').isVisible()).toBe(true);

      // acme-1 is still an active member but its certificate was revoked: the genesis must refuse.
      await page.getByRole('button', { name: 'Generate and freeze genesis' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('GENESIS_NOT_READY');
      await shot('16-genesis-refused');
      await nav('Members').click();
      await page.getByRole('button', { name: 'Remove Acme validator 1' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
      await expect.poll(() => page.getByRole('row').filter({ hasText: 'Acme validator 1' }).getByText('revoked').isVisible()).toBe(true);

      await nav('Validators & genesis').click();
      await page.getByLabel('Consensus').selectOption('pbft');
      await page.getByRole('button', { name: 'Generate and freeze genesis' }).click();
      await expect.poll(() => page.getByRole('heading', { name: 'Genesis (frozen)' }).isVisible()).toBe(true);
      await expect.poll(() => page.getByText('pbft · block every 1000 ms').isVisible()).toBe(true);
      await shot('17-genesis-frozen');
      const genesis = JSON.parse((await fx.call('GET', '/v1/consortium/genesis', undefined, null)).text) as { validators: { nodeId: string }[] };
      expect(genesis.validators.map((v) => v.nodeId)).toEqual(['acme-2']);
      expect(pageErrors).toEqual([]);
    } finally {
      await new Promise((resolve) => status.close(resolve));
    }
  });
});
