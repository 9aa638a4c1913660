import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGenesis, TxType } from '#chain';
import { ADMIN_PASSWORD, enrollBody, memberKeys, startAdminFixture, type AdminFixture } from './support/admin-fixture.js';
import { StubChain, startStubValidator, type StubValidator } from './support/stub-validators.js';

const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'portal');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

describe('portal: the network node set with add, promote and remove', () => {
  let fx: AdminFixture;
  let context: BrowserContext;
  let page: Page;
  let profileDir: string;
  const pageErrors: string[] = [];
  const chain = new StubChain();
  const stubs: StubValidator[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    fx = await startAdminFixture();
    const organisationId = ((await fx.call('POST', '/v1/organisations', { name: 'Initech' })).body as { id: string }).id;
    const enrol = async (nodeId: string, port: number): Promise<void> => {
      const stub = await startStubValidator(chain, nodeId);
      stubs.push(stub);
      const { token } = (await fx.call('POST', '/v1/invitations', { organisationId, role: 'validator', autoApprove: true })).body as { token: string };
      expect((await fx.call('POST', '/v1/enroll', enrollBody(token, await memberKeys(nodeId), { nodeId, p2pAddress: `127.0.0.1:${port}`, restUrl: stub.url }), null)).body).toMatchObject({ status: 'approved' });
    };
    await enrol('node-1', 7501);
    await enrol('node-2', 7502);
    expect((await fx.call('POST', '/v1/consortium/genesis', { consensus: 'pbft' })).status).toBe(201);
    chain.seed(parseGenesis(JSON.parse((await fx.call('GET', '/v1/consortium/genesis', undefined, null)).text)).validators);
    await enrol('node-3', 7503);
    await fx.running.services.validatorStatus.pollOnce();

    profileDir = mkdtempSync(join(tmpdir(), 'accord-portal-profile-'));
    context = await chromium.launchPersistentContext(profileDir, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1440, height: 900 } });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
    });
  });
  afterAll(async () => {
    await context?.close();
    await fx?.close();
    for (const stub of stubs) await stub.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  it('adds node-3 as a learner, promotes it, and refuses to remove a voter when the quorum would be lost', async () => {
    await page.goto(`${fx.url}/portal/`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Validators & genesis' }).click();
    const nodeSet = page.getByRole('region', { name: 'Network node set (on chain)' });
    await expect.poll(() => nodeSet.getByRole('row').filter({ hasText: 'node-2' }).getByText('voter').isVisible()).toBe(true);

    await nodeSet.getByLabel('Validator').selectOption('node-3');
    await nodeSet.getByLabel('Joins as').selectOption('learner');
    await nodeSet.getByRole('button', { name: 'Add to network' }).click();
    const row3 = nodeSet.getByRole('row').filter({ hasText: 'node-3' });
    await expect.poll(() => row3.getByText('learner').isVisible()).toBe(true);
    expect(chain.nodeChanges().map(([type, nodeId]) => [type, nodeId])).toEqual([[TxType.NODE_ADD, 'node-3']]);

    await row3.getByRole('button', { name: 'Promote' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Promote' }).click();
    await expect.poll(() => row3.getByText('voter').isVisible()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, '20-network-nodes.png'), fullPage: true });

    // PBFT with 3 voters needs 2 of them to commit anything: with node-2 and node-3 down, node-1 alone cannot.
    stubs[1]!.down = true;
    stubs[2]!.down = true;
    const row1 = nodeSet.getByRole('row').filter({ hasText: 'node-1' });
    await row1.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await expect.poll(async () => (await page.locator('.toast').allTextContents()).join(' ')).toContain('QUORUM_AT_RISK');
    await page.screenshot({ path: join(SCREENSHOTS, '21-network-quorum-refused.png'), fullPage: true });
    expect(chain.nodeChanges()).toHaveLength(2);
    expect(pageErrors).toEqual([]);
  });
});
