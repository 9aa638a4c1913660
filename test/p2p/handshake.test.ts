import tls, { type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HELLO_TYPE, encodeFrame, encodeHello, type PeerManager, type ValidatorInfo } from '#p2p';
import type { Registry } from 'prom-client';
import { freePort, makeCertFixture, makeManager, metricValue, type CertFixture } from './fixture.js';

/**
 * Certificate case table, run against both ends of a connection: the listening side sees raw TLS
 * clients presenting each certificate; the dialing side dials raw TLS servers presenting them.
 * Every "bad" certificate's key is registered as a validator, so the chain, validity or revocation
 * is the only thing wrong with it.
 */
const BAD_CERTS = ['self-signed', 'other-ca', 'expired', 'not-yet-valid', 'revoked'];

let fixture: CertFixture;
let caBundle: string;

async function validator(nodeId: string, port: number, keyOf = nodeId): Promise<ValidatorInfo> {
  return { nodeId, spkiSha256: await fixture.fingerprint(keyOf), host: '127.0.0.1', port };
}

type LogLines = Array<Record<string, unknown>>;

/** Where a refusal check starts from, so each case proves its own refusal. */
interface Baseline {
  readonly count: number;
  readonly fromLine: number;
}

async function baseline(registry: Registry, lines: LogLines, side: string, reason: string): Promise<Baseline> {
  return { count: await metricValue(registry, 'accord_p2p_handshake_failures_total', { side, reason }), fromLine: lines.length };
}

/**
 * Waits until the refusal is counted and logged (warn) after `since`; `subjectCn`, when given,
 * must be the refused certificate's CN in the log line.
 */
async function expectRefusal(
  registry: Registry,
  lines: LogLines,
  side: string,
  reason: string,
  since: Baseline = { count: 0, fromLine: 0 },
  subjectCn?: string,
): Promise<void> {
  await vi.waitFor(
    async () => {
      expect(await metricValue(registry, 'accord_p2p_handshake_failures_total', { side, reason })).toBeGreaterThan(since.count);
      const logged = lines
        .slice(since.fromLine)
        .filter((line) => line.side === side && line.reason === reason && line.level === 40)
        .filter((line) => subjectCn === undefined || String(line.subject).includes(`CN=${subjectCn}`));
      expect(logged.length).toBeGreaterThan(0);
    },
    { timeout: 10_000, interval: 25 },
  );
}

beforeAll(async () => {
  fixture = await makeCertFixture(['node-a', 'node-b', 'node-c']);
  caBundle = await fixture.read('ca-bundle.pem');
});
afterAll(async () => {
  await fixture.cleanup();
});

describe('listening side', () => {
  let manager: PeerManager;
  let lines: Array<Record<string, unknown>>;
  let registry: Registry;

  beforeAll(async () => {
    const unused = await freePort();
    const validators = await Promise.all([
      validator('node-a', await freePort()),
      validator('node-b', unused),
      validator('node-c', unused),
      ...BAD_CERTS.map((name) => validator(name, unused)),
    ]);
    ({ manager, lines, registry } = await makeManager(fixture, 'node-a', validators, { crlPem: await fixture.read('crl.pem') }));
    await manager.start();
  });
  afterAll(async () => {
    await manager.stop();
  });

  /** Connects a raw TLS client; resolves with the socket once TLS is up (or null if it failed). */
  async function rawClient(name: string | null, extra: tls.ConnectionOptions = {}): Promise<TLSSocket> {
    const credentials = name ? await fixture.credentials(name) : undefined;
    const socket = tls.connect({
      host: '127.0.0.1',
      port: manager.port,
      ca: caBundle,
      cert: credentials?.cert,
      key: credentials?.key,
      checkServerIdentity: () => undefined,
      ...extra,
    });
    socket.on('error', () => undefined);
    return socket;
  }

  function closed(socket: TLSSocket): Promise<void> {
    return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
  }

  it('accepts a registered validator that sends its HELLO', async () => {
    const socket = await rawClient('node-b');
    const frames: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => frames.push(chunk));
    socket.once('secureConnect', () => socket.write(encodeFrame(HELLO_TYPE, encodeHello('node-b'))));
    await vi.waitFor(() => expect(manager.connectedPeers()).toContain('node-b'), { timeout: 10_000 });
    await vi.waitFor(() => expect(Buffer.concat(frames).readUInt16BE(1)).toBe(HELLO_TYPE));
    socket.destroy();
    await vi.waitFor(() => expect(manager.connectedPeers()).not.toContain('node-b'));
  });

  it.each([
    { name: null, reason: 'no_client_cert' },
    { name: 'self-signed', reason: 'untrusted_chain' },
    { name: 'other-ca', reason: 'untrusted_chain' },
    { name: 'expired', reason: 'expired' },
    { name: 'not-yet-valid', reason: 'not_yet_valid' },
    { name: 'revoked', reason: 'revoked' },
    { name: 'member-1', reason: 'not_a_validator' },
  ])('refuses $name as $reason', async ({ name, reason }) => {
    const since = await baseline(registry, lines, 'listen', reason);
    const socket = await rawClient(name);
    await closed(socket);
    await expectRefusal(registry, lines, 'listen', reason, since, name ?? undefined);
    expect(manager.connectedPeers()).toEqual([]);
  });

  it('refuses a validator whose HELLO claims another node id as wrong_node_id', async () => {
    const since = await baseline(registry, lines, 'listen', 'wrong_node_id');
    const socket = await rawClient('node-c');
    socket.once('secureConnect', () => socket.write(encodeFrame(HELLO_TYPE, encodeHello('node-b'))));
    await closed(socket);
    await expectRefusal(registry, lines, 'listen', 'wrong_node_id', since);
    expect(manager.connectedPeers()).toEqual([]);
  });

  it('refuses a TLS 1.2 client as tls_version', async () => {
    const since = await baseline(registry, lines, 'listen', 'tls_version');
    const socket = await rawClient('node-b', { maxVersion: 'TLSv1.2' });
    await closed(socket);
    await expectRefusal(registry, lines, 'listen', 'tls_version', since);
  });
});

// `no_client_cert` has no dialing-side counterpart: a TLS 1.3 server always presents a certificate.
describe('dialing side', () => {
  const servers: tls.Server[] = [];

  /** A raw TLS server presenting `name`'s certificate; returns its port. */
  async function rawServer(name: string, extra: tls.TlsOptions = {}): Promise<number> {
    const credentials = await fixture.credentials(name);
    const server = tls.createServer({ cert: credentials.cert, key: credentials.key, ...extra });
    server.on('tlsClientError', () => undefined);
    server.on('secureConnection', (socket) => socket.on('error', () => undefined));
    servers.push(server);
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  }

  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('dials a registered validator and refuses every other certificate with its reason', async () => {
    const portA = await freePort();
    const portB = await freePort();
    const badServers = await Promise.all(BAD_CERTS.map(async (name) => validator(name, await rawServer(name))));
    const validators = [
      await validator('node-a', portA),
      await validator('node-b', portB),
      ...badServers,
      // Registered as node-c, but a member certificate answers.
      await validator('node-c', await rawServer('member-1')),
      // A TLS 1.2-only server; any unregistered key will do since the version fails first.
      await validator('tls12', await rawServer('node-c', { maxVersion: 'TLSv1.2' }), 'member-1'),
    ];
    const a = await makeManager(fixture, 'node-a', validators, { crlPem: await fixture.read('crl.pem') });
    const b = await makeManager(fixture, 'node-b', validators, { crlPem: await fixture.read('crl.pem') });
    await Promise.all([a.manager.start(), b.manager.start()]);
    try {
      await vi.waitFor(() => expect(a.manager.connectedPeers()).toEqual(['node-b']), { timeout: 10_000 });
      for (const [reason, subjectCn] of [
        ['untrusted_chain', 'self-signed'],
        ['untrusted_chain', 'other-ca'],
        ['expired', 'expired'],
        ['not_yet_valid', 'not-yet-valid'],
        ['revoked', 'revoked'],
        ['not_a_validator', 'member-1'],
        ['tls_version', undefined],
      ]) {
        await expectRefusal(a.registry, a.lines, 'dial', reason as string, undefined, subjectCn);
      }
      const versionRefusal = a.lines.find((line) => line.reason === 'tls_version' && line.side === 'dial');
      expect(versionRefusal?.expectedNodeId).toBe('tls12');
    } finally {
      await Promise.all([a.manager.stop(), b.manager.stop()]);
    }
  });

  it('refuses to keep a dial that reaches node B when it meant node C (wrong_node_id)', async () => {
    const portA = await freePort();
    const portB = await freePort();
    const validators = [await validator('node-a', portA), await validator('node-b', portB), await validator('node-c', portB)];
    const a = await makeManager(fixture, 'node-a', validators);
    const b = await makeManager(fixture, 'node-b', validators);
    await Promise.all([a.manager.start(), b.manager.start()]);
    try {
      await expectRefusal(a.registry, a.lines, 'dial', 'wrong_node_id');
      const line = a.lines.find((l) => l.reason === 'wrong_node_id');
      expect(line?.detail).toBe('expected node-c, reached node-b');
      expect(a.manager.connectedPeers()).not.toContain('node-c');
    } finally {
      await Promise.all([a.manager.stop(), b.manager.stop()]);
    }
  });
});
