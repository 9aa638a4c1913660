import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { X509Certificate } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { capturingLogger, freePort, makeCertFixture, makeManager, metricValue, validatorsFor, type CertFixture } from './fixture.js';
import { RevocationPoller, RevocationState, parseCrlPem, parseRevocationList, type PeerManager, type RevocationList, type ValidatorInfo } from '#p2p';

const run = promisify(execFile);
let fixture: CertFixture;
const running: PeerManager[] = [];

/** The admin's revocation endpoint: JSON list with an ETag, 304 on If-None-Match. */
class FakeAdmin {
  list = { version: 1, updatedAt: new Date(0).toISOString(), serials: [] as string[] };
  failing = false;
  readonly requests: Array<{ ifNoneMatch: string | undefined; status: number }> = [];
  private readonly server: Server = createServer((request, response) => {
    const etag = `"v${this.list.version}"`;
    const ifNoneMatch = request.headers['if-none-match'];
    let status = 200;
    if (request.url !== '/v1/revocations') status = 404;
    else if (this.failing) status = 503;
    else if (ifNoneMatch === etag) status = 304;
    this.requests.push({ ifNoneMatch, status });
    response.writeHead(status, status === 200 ? { etag, 'content-type': 'application/json' } : {});
    response.end(status === 200 ? JSON.stringify(this.list) : undefined);
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/v1/revocations`;
  }

  revoke(serial: string): void {
    this.list = { version: this.list.version + 1, updatedAt: new Date().toISOString(), serials: [...this.list.serials, serial] };
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function twoValidators(ids: [string, string]): Promise<ValidatorInfo[]> {
  return validatorsFor(fixture, { [ids[0]]: await freePort(), [ids[1]]: await freePort() });
}

beforeAll(async () => {
  fixture = await makeCertFixture(['node-a', 'node-b', 'node-c']);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((m) => m.stop()));
});
afterAll(async () => {
  await fixture.cleanup();
});

describe('revocation of a connected peer', () => {
  it('drops the link when the polled admin list revokes the peer, and refuses it afterwards on both sides', async () => {
    const admin = new FakeAdmin();
    const url = await admin.start();
    try {
      const validators = await twoValidators(['node-a', 'node-b']);
      const revocation = { url, pollIntervalMs: 200 };
      const a = await makeManager(fixture, 'node-a', validators, { revocation });
      const b = await makeManager(fixture, 'node-b', validators, { revocation });
      running.push(a.manager, b.manager);
      const downs: string[] = [];
      a.manager.on('peerDown', (peer, reason) => downs.push(`${peer}:${reason}`));
      await Promise.all([a.manager.start(), b.manager.start()]);
      await vi.waitFor(() => expect(a.manager.connectedPeers()).toEqual(['node-b']), { timeout: 10_000 });
      // Unchanged lists are answered 304 thanks to the ETag.
      await vi.waitFor(() => expect(admin.requests.some((r) => r.status === 304 && r.ifNoneMatch === '"v1"')).toBe(true));

      admin.revoke(await fixture.serial('node-b'));
      await vi.waitFor(() => expect(downs).toEqual(['node-b:revoked']), { timeout: 10_000, interval: 20 });
      expect(a.lines.some((line) => line.msg === 'peer down' && line.reason === 'revoked')).toBe(true);
      expect(await metricValue(a.registry, 'accord_p2p_links_closed_total', { reason: 'revoked' })).toBe(1);
      // node-b keeps trying; node-a refuses it whichever side dials.
      await vi.waitFor(
        async () => {
          expect(await metricValue(a.registry, 'accord_p2p_handshake_failures_total', { side: 'listen', reason: 'revoked' })).toBeGreaterThan(0);
          expect(await metricValue(a.registry, 'accord_p2p_handshake_failures_total', { side: 'dial', reason: 'revoked' })).toBeGreaterThan(0);
        },
        { timeout: 10_000, interval: 50 },
      );
      expect(a.manager.connectedPeers()).toEqual([]);
    } finally {
      await admin.stop();
    }
  });

  it('drops the link when an offline CRL revoking the peer is loaded, and refuses it in the TLS handshake', async () => {
    // Revoke node-c with the fixture CA (independent of the code under test) and publish a CRL.
    const caConfig = join(fixture.dir, 'issuing-ca', 'ca.cnf');
    const env = { ...process.env, LEAF_SAN: 'unused' };
    await run('openssl', ['ca', '-batch', '-config', caConfig, '-revoke', join(fixture.dir, 'node-c.crt')], { env });
    const issuingCrl = join(fixture.dir, 'issuing-revoking-c.crl.pem');
    await run('openssl', ['ca', '-batch', '-config', caConfig, '-gencrl', '-out', issuingCrl], { env });
    const crlFile = join(fixture.dir, 'revoking-c.crl.pem');
    await writeFile(crlFile, (await fixture.read('issuing-revoking-c.crl.pem')) + (await fixture.read('root.crl.pem')));

    const validators = await twoValidators(['node-a', 'node-c']);
    const a = await makeManager(fixture, 'node-a', validators);
    const c = await makeManager(fixture, 'node-c', validators);
    running.push(a.manager, c.manager);
    const downs: string[] = [];
    a.manager.on('peerDown', (peer, reason) => downs.push(`${peer}:${reason}`));
    await Promise.all([a.manager.start(), c.manager.start()]);
    await vi.waitFor(() => expect(a.manager.connectedPeers()).toEqual(['node-c']), { timeout: 10_000 });

    const fromLine = a.lines.length;
    await a.manager.loadCrlFile(crlFile);
    expect(downs).toEqual(['node-c:revoked']);
    // Reconnects now fail inside TLS verification (the CRL reached the secure context).
    await vi.waitFor(
      () => {
        const refusals = a.lines.slice(fromLine).filter((line) => line.reason === 'revoked' && String(line.detail).includes('CERT_REVOKED'));
        expect(refusals.map((line) => line.side)).toEqual(expect.arrayContaining(['listen', 'dial']));
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(a.manager.connectedPeers()).toEqual([]);
  });
});

describe('credential renewal', () => {
  it('presents a renewed certificate (same key) to new connections without a restart', async () => {
    const validators = await twoValidators(['node-a', 'node-b']);
    const a = await makeManager(fixture, 'node-a', validators);
    const b = await makeManager(fixture, 'node-b', validators);
    running.push(a.manager, b.manager);
    await Promise.all([a.manager.start(), b.manager.start()]);
    await vi.waitFor(() => expect(b.manager.connectedPeers()).toEqual(['node-a']), { timeout: 10_000 });
    const serialOf = (lines: typeof b.lines) => lines.filter((line) => line.msg === 'peer up' && line.peer === 'node-a').map((line) => line.serial);
    expect(serialOf(b.lines)).toEqual([await fixture.serial('node-a')]);

    a.manager.setCredentials(await fixture.credentials('node-a-renewed'));
    // Force new connections: node-b restarts, so both sides handshake again.
    await b.manager.stop();
    const b2 = await makeManager(fixture, 'node-b', validators);
    running.push(b2.manager);
    await b2.manager.start();
    await vi.waitFor(() => expect(b2.manager.connectedPeers()).toEqual(['node-a']), { timeout: 10_000 });
    expect(serialOf(b2.lines)).toEqual([await fixture.serial('node-a-renewed')]);
  });
});

describe('revocation inputs', () => {
  it('parses CRLs as openssl wrote them', async () => {
    const [issuing, root] = parseCrlPem(await fixture.read('crl.pem'));
    expect(issuing.revokedSerials).toEqual([await fixture.serial('revoked')]);
    expect(root.revokedSerials).toEqual([]);
    const text = (await run('openssl', ['crl', '-in', join(fixture.dir, 'issuing.crl.pem'), '-noout', '-text'])).stdout;
    expect(text).toContain(`Serial Number: ${(await fixture.serial('revoked')).toUpperCase()}`);
    expect(() => parseCrlPem('-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----')).toThrow(expect.objectContaining({ code: 'P2P_CRL_FORMAT' }));
    expect(() => parseCrlPem('nothing here')).toThrow(expect.objectContaining({ code: 'P2P_CRL_FORMAT' }));
  });

  it('hands CRLs to TLS only when they cover every trusted CA', async () => {
    const cas = [new X509Certificate(await fixture.read('root.crt')), new X509Certificate(await fixture.read('issuing.crt'))];
    const state = new RevocationState();
    expect(state.crlsForTls(cas)).toBeUndefined();
    state.loadCrls(await fixture.read('issuing.crl.pem'));
    // Only the issuing CA's CRL: TLS would refuse every chain for lack of the root's CRL.
    expect(state.crlsForTls(cas)).toBeUndefined();
    expect(state.revokedSerials.has(await fixture.serial('revoked'))).toBe(true);
    state.loadCrls(await fixture.read('crl.pem'));
    expect(state.crlsForTls(cas)).toHaveLength(2);
  });

  it('applies only newer revocation list versions and merges them with CRL serials', async () => {
    const state = new RevocationState();
    state.loadCrls(await fixture.read('crl.pem'));
    expect(state.applyList(2, ['abc'])).toBe(true);
    expect(state.applyList(1, ['def'])).toBe(false);
    expect([...state.revokedSerials].sort()).toEqual([await fixture.serial('revoked'), 'abc'].sort());
    expect(state.applyList(3, [])).toBe(true);
    expect([...state.revokedSerials]).toEqual([await fixture.serial('revoked')]);
  });

  it('validates and normalises the admin list format', () => {
    expect(parseRevocationList({ version: 3, updatedAt: 'x', serials: ['00AB', '0'] }).serials).toEqual(['ab', '0']);
    for (const bad of [null, [], { version: 1.5, updatedAt: 'x', serials: [] }, { version: 1, serials: [] }, { version: 1, updatedAt: 'x', serials: ['zz'] }]) {
      expect(() => parseRevocationList(bad)).toThrow(expect.objectContaining({ code: 'P2P_REVOCATION_FORMAT' }));
    }
  });

  it('keeps the last known list when the admin fails, and picks up the next change', async () => {
    const admin = new FakeAdmin();
    const url = await admin.start();
    const { logger, lines } = capturingLogger();
    const seen: RevocationList[] = [];
    const poller = new RevocationPoller({ url, pollIntervalMs: 1000, logger, onList: (list) => seen.push(list) });
    try {
      await poller.pollOnce();
      admin.failing = true;
      admin.revoke('1234');
      await poller.pollOnce();
      expect(lines.some((line) => line.msg === 'revocation list poll failed; keeping the last known list')).toBe(true);
      admin.failing = false;
      await poller.pollOnce();
      await poller.pollOnce();
      expect(seen.map((list) => [list.version, list.serials])).toEqual([
        [1, []],
        [2, ['1234']],
      ]);
      expect(admin.requests.map((r) => r.status)).toEqual([200, 503, 200, 304]);
    } finally {
      await poller.stop();
      await admin.stop();
    }
  });
});
