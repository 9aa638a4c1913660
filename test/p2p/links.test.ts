import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import tls, { type TLSSocket } from 'node:tls';
import { FrameDecoder, HELLO_TYPE, PING_TYPE, encodeFrame, encodeHello, type PeerManager, type ValidatorInfo } from '#p2p';
import { freePort, makeCertFixture, makeManager, metricValue, validatorsFor, type CertFixture } from './fixture.js';

const IDS = ['node-a', 'node-b', 'node-c'];
let fixture: CertFixture;
const running: PeerManager[] = [];

type Made = Awaited<ReturnType<typeof makeManager>>;

async function cluster(
  ids: string[],
  overrides: Parameters<typeof makeManager>[3] = {},
  registeredOnly: string[] = [],
): Promise<{ managers: Record<string, PeerManager>; made: Record<string, Made>; validators: ValidatorInfo[] }> {
  const ports = Object.fromEntries(await Promise.all([...ids, ...registeredOnly].map(async (id) => [id, await freePort()] as const)));
  const validators = await validatorsFor(fixture, ports);
  const managers: Record<string, PeerManager> = {};
  const made: Record<string, Made> = {};
  for (const id of ids) {
    made[id] = await makeManager(fixture, id, validators, overrides);
    managers[id] = made[id].manager;
    running.push(managers[id]);
  }
  await Promise.all(Object.values(managers).map((m) => m.start()));
  return { managers, made, validators };
}

async function fullyConnected(managers: Record<string, PeerManager>): Promise<void> {
  const ids = Object.keys(managers);
  await vi.waitFor(
    () => {
      for (const id of ids) expect(managers[id].connectedPeers()).toEqual(ids.filter((other) => other !== id).sort());
    },
    { timeout: 10_000, interval: 20 },
  );
}

beforeAll(async () => {
  fixture = await makeCertFixture(IDS);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((m) => m.stop()));
});
afterAll(async () => {
  await fixture.cleanup();
});

describe('PeerManager links', () => {
  it('connects every pair once and delivers sends and broadcasts in order with the sender id', async () => {
    const { managers } = await cluster(IDS);
    await fullyConnected(managers);
    const received: Array<[string, string, string]> = [];
    for (const id of IDS) managers[id].subscribe(7, (from, payload) => received.push([id, from, payload.toString()]));
    expect(managers['node-a'].send('node-b', 7, Buffer.from('one'))).toBe(true);
    expect(managers['node-a'].send('node-b', 7, Buffer.from('two'))).toBe(true);
    expect(managers['node-c'].broadcast(7, Buffer.from('all')).sort()).toEqual(['node-a', 'node-b']);
    await vi.waitFor(() => expect(received).toHaveLength(4));
    expect(received.filter(([to]) => to === 'node-b').map(([, from, text]) => `${from}:${text}`)).toEqual(
      expect.arrayContaining(['node-a:one', 'node-a:two', 'node-c:all']),
    );
    const fromA = received.filter(([to, from]) => to === 'node-b' && from === 'node-a').map(([, , text]) => text);
    expect(fromA).toEqual(['one', 'two']);
    await vi.waitFor(() => {
      for (const id of IDS) expect([...managers[id].connectionCounts().values()]).toEqual([1, 1]);
    });
  });

  it('counts messages and frame bytes per type in and out, and rejects misuse with typed errors', async () => {
    const { managers, made } = await cluster(['node-a', 'node-b']);
    await fullyConnected(managers);
    let received = 0;
    managers['node-b'].subscribe(21, () => received++);
    for (let i = 0; i < 5; i++) expect(managers['node-a'].send('node-b', 21, Buffer.alloc(100))).toBe(true);
    await vi.waitFor(() => expect(received).toBe(5));
    // Frame bytes include the 11-byte header.
    expect(await metricValue(made['node-a'].registry, 'accord_p2p_sent_messages_total', { type: '21' })).toBe(5);
    expect(await metricValue(made['node-a'].registry, 'accord_p2p_sent_bytes_total', { type: '21' })).toBe(5 * 111);
    expect(await metricValue(made['node-b'].registry, 'accord_p2p_received_messages_total', { type: '21' })).toBe(5);
    expect(await metricValue(made['node-b'].registry, 'accord_p2p_received_bytes_total', { type: '21' })).toBe(5 * 111);
    expect(await metricValue(made['node-a'].registry, 'accord_p2p_peers_connected')).toBe(1);

    expect(managers['node-a'].send('node-z', 21, Buffer.alloc(1))).toBe(false);
    expect(() => managers['node-a'].send('node-b', 0xff00, Buffer.alloc(1))).toThrow(expect.objectContaining({ code: 'P2P_INVALID_TYPE' }));
    expect(() => managers['node-a'].subscribe(0xfffe, () => undefined)).toThrow(expect.objectContaining({ code: 'P2P_INVALID_TYPE' }));
    expect(() => managers['node-a'].broadcast(1, Buffer.alloc(16 * 1024 * 1024 + 1))).toThrow(expect.objectContaining({ code: 'FRAME_TOO_LARGE' }));
  });

  it('follows validator-set changes: a removed validator is dropped, an added one is dialed', async () => {
    const { managers, made, validators } = await cluster(['node-a', 'node-b', 'node-c']);
    await fullyConnected(managers);
    const downs: string[] = [];
    managers['node-a'].on('peerDown', (peer, reason) => downs.push(`${peer}:${reason}`));
    const withoutC = validators.filter((v) => v.nodeId !== 'node-c');
    managers['node-a'].setValidators(withoutC);
    await vi.waitFor(() => expect(managers['node-a'].connectedPeers()).toEqual(['node-b']));
    expect(downs).toEqual(['node-c:not_a_validator']);
    // node-c keeps dialing node-a and is refused as long as it is not registered there.
    await vi.waitFor(
      async () => {
        expect(await metricValue(made['node-a'].registry, 'accord_p2p_handshake_failures_total', { side: 'listen', reason: 'not_a_validator' })).toBeGreaterThan(0);
      },
      { timeout: 5_000 },
    );
    expect(managers['node-a'].connectedPeers()).toEqual(['node-b']);
    managers['node-a'].setValidators(validators);
    await vi.waitFor(() => expect(managers['node-a'].connectedPeers()).toEqual(['node-b', 'node-c']), { timeout: 5_000 });
  });
});

/** Records, per peer, how many links a manager reported up at once; must never exceed 1. */
function linkWatch(manager: PeerManager): { maxConcurrent: () => number; ups: () => number } {
  const up = new Map<string, number>();
  let max = 0;
  let ups = 0;
  manager.on('peerUp', (peer) => {
    ups++;
    up.set(peer, (up.get(peer) ?? 0) + 1);
    max = Math.max(max, up.get(peer) ?? 0);
  });
  manager.on('peerDown', (peer) => up.set(peer, (up.get(peer) ?? 0) - 1));
  return { maxConcurrent: () => Math.max(max, ...[...manager.connectionCounts().values()]), ups: () => ups };
}

describe('one link per pair', () => {
  it('keeps exactly one link when both validators dial each other at the same moment, round after round', async () => {
    let duplicatesResolved = 0;
    for (let round = 0; round < 4; round++) {
      const { managers, made } = await cluster(['node-a', 'node-b']);
      const watchA = linkWatch(managers['node-a']);
      const watchB = linkWatch(managers['node-b']);
      // A message sent the moment the link is up must survive the retirement of a duplicate.
      const delivered: string[] = [];
      managers['node-b'].subscribe(11, (from) => delivered.push(from));
      managers['node-a'].on('peerUp', (peer) => managers['node-a'].send(peer, 11, Buffer.from('first')));
      await fullyConnected(managers);
      // Let any losing duplicate finish closing before counting sockets.
      await vi.waitFor(() => {
        expect([...managers['node-a'].connectionCounts().values()]).toEqual([1]);
        expect([...managers['node-b'].connectionCounts().values()]).toEqual([1]);
      });
      expect(watchA.maxConcurrent()).toBe(1);
      expect(watchB.maxConcurrent()).toBe(1);
      await vi.waitFor(() => expect(delivered).toEqual(Array.from({ length: watchA.ups() }, () => 'node-a')));
      await Promise.all(running.splice(0).map((m) => m.stop()));
      const resolvedOn = (id: string) => made[id].lines.filter((line) => line.msg === 'duplicate link resolved');
      // Both ends keep the connection node-a (the lower id) dialed.
      for (const line of resolvedOn('node-a')) expect(line.kept).toBe('outbound');
      for (const line of resolvedOn('node-b')) expect(line.kept).toBe('inbound');
      duplicatesResolved += resolvedOn('node-a').length + resolvedOn('node-b').length;
    }
    // The rounds did race: duplicates happened and were resolved.
    expect(duplicatesResolved).toBeGreaterThan(0);
  });

  it('brings the link back after a peer is killed and restarted on the same port', async () => {
    const { managers, validators } = await cluster(['node-a', 'node-b']);
    await fullyConnected(managers);
    const watchA = linkWatch(managers['node-a']);
    const downs: string[] = [];
    managers['node-a'].on('peerDown', (peer, reason) => downs.push(`${peer}:${reason}`));
    await managers['node-b'].stop();
    await vi.waitFor(() => expect(managers['node-a'].connectedPeers()).toEqual([]));
    expect(downs).toEqual(['node-b:peer_closed']);

    const restarted = await makeManager(fixture, 'node-b', validators);
    running.push(restarted.manager);
    await restarted.manager.start();
    // Backoff is capped at 500 ms in these tests; allow several caps for a loaded CI machine.
    await vi.waitFor(() => expect(managers['node-a'].connectedPeers()).toEqual(['node-b']), { timeout: 5_000, interval: 20 });
    await vi.waitFor(() => expect(restarted.manager.connectedPeers()).toEqual(['node-a']));
    const got: string[] = [];
    restarted.manager.subscribe(3, (from, payload) => got.push(`${from}:${payload.toString()}`));
    expect(managers['node-a'].send('node-b', 3, Buffer.from('again'))).toBe(true);
    await vi.waitFor(() => expect(got).toEqual(['node-a:again']));
    expect(watchA.maxConcurrent()).toBe(1);
    expect([...managers['node-a'].connectionCounts().values()]).toEqual([1]);
  });
});

/** A validator played by a raw TLS socket, to misbehave in ways a PeerManager never would. */
async function rawValidator(port: number, name: string): Promise<{ socket: TLSSocket; frames: number[] }> {
  const credentials = await fixture.credentials(name);
  const socket = tls.connect({ host: '127.0.0.1', port, ...credentials, checkServerIdentity: () => undefined });
  socket.on('error', () => undefined);
  const frames: number[] = [];
  const decoder = new FrameDecoder();
  socket.on('data', (chunk: Buffer) => decoder.push(chunk, (frame) => frames.push(frame.type)));
  await new Promise<void>((resolve) => socket.once('secureConnect', () => resolve()));
  socket.write(encodeFrame(HELLO_TYPE, encodeHello(name)));
  return { socket, frames };
}

describe('liveness and back-pressure', () => {
  it('pings an idle link and drops a peer that goes silent', async () => {
    const { managers, made } = await cluster(['node-a'], { heartbeatIntervalMs: 200, deadPeerTimeoutMs: 1000 }, ['node-b']);
    const a = managers['node-a'];
    const downs: string[] = [];
    a.on('peerDown', (peer, reason) => downs.push(`${peer}:${reason}`));
    const { frames } = await rawValidator(a.port, 'node-b');
    await vi.waitFor(() => expect(a.connectedPeers()).toEqual(['node-b']));
    // The raw peer never sends anything after HELLO: the manager pings, then gives up on it.
    await vi.waitFor(() => expect(downs).toEqual(['node-b:heartbeat_timeout']), { timeout: 10_000, interval: 50 });
    expect(frames[0]).toBe(HELLO_TYPE);
    expect(frames.filter((type) => type === PING_TYPE).length).toBeGreaterThan(0);
    expect(await metricValue(made['node-a'].registry, 'accord_p2p_links_closed_total', { reason: 'heartbeat_timeout' })).toBe(1);
  });

  it('closes a link that sends a corrupted frame, with the reason logged and counted', async () => {
    const { managers, made } = await cluster(['node-a'], {}, ['node-b']);
    const a = managers['node-a'];
    const { socket } = await rawValidator(a.port, 'node-b');
    await vi.waitFor(() => expect(a.connectedPeers()).toEqual(['node-b']));
    const frame = encodeFrame(5, Buffer.from('payload'));
    frame[frame.length - 1] ^= 0xff;
    socket.write(frame);
    await vi.waitFor(() => expect(a.connectedPeers()).toEqual([]));
    expect(await metricValue(made['node-a'].registry, 'accord_p2p_frames_rejected_total', { reason: 'FRAME_CHECKSUM' })).toBe(1);
    expect(made['node-a'].lines.some((line) => line.reason === 'frame_rejected' && String(line.detail).startsWith('FRAME_CHECKSUM'))).toBe(true);
  });

  it('reports back-pressure from send when a peer stops reading, then signals writable', async () => {
    const maxQueueBytes = 1024 * 1024;
    const { managers, made } = await cluster(['node-a'], { maxQueueBytes }, ['node-b']);
    const a = managers['node-a'];
    const { socket } = await rawValidator(a.port, 'node-b');
    await vi.waitFor(() => expect(a.connectedPeers()).toEqual(['node-b']));
    socket.pause();
    // Keep the link alive while not reading, so only back-pressure is under test.
    const keepAlive = setInterval(() => socket.write(encodeFrame(PING_TYPE, Buffer.alloc(0))), 100);
    const writable = new Promise<string>((resolve) => a.on('writable', resolve));
    const payload = Buffer.alloc(64 * 1024, 1);
    let accepted = 0;
    let refused = false;
    // Offer far more than the bound and the socket buffers can absorb; yield so writes happen.
    for (let i = 0; i < 4000 && !refused; i++) {
      if (a.send('node-b', 9, payload)) accepted++;
      else refused = true;
      expect(a.queuedBytes('node-b')).toBeLessThanOrEqual(maxQueueBytes + 256 * 1024);
      if (i % 8 === 7) await new Promise((resolve) => setImmediate(resolve));
    }
    try {
      expect(refused).toBe(true);
      expect(accepted).toBeGreaterThan(0);
      expect(await metricValue(made['node-a'].registry, 'accord_p2p_send_backpressure_total')).toBeGreaterThan(0);
      socket.resume();
      await expect(writable).resolves.toBe('node-b');
      expect(a.send('node-b', 9, payload)).toBe(true);
    } finally {
      clearInterval(keepAlive);
      socket.destroy();
    }
  });
});
