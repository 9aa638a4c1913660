import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PeerManager, type ValidatorInfo } from '#p2p';
import { freePort, makeCertFixture, makeManager, metricValue, validatorsFor, type CertFixture } from './fixture.js';

const IDS = ['node-a', 'node-b', 'node-c'];
let fixture: CertFixture;
const running: PeerManager[] = [];

async function cluster(ids: string[]): Promise<{ managers: Record<string, PeerManager>; validators: ValidatorInfo[] }> {
  const ports = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await freePort()] as const)));
  const validators = await validatorsFor(fixture, ports);
  const managers: Record<string, PeerManager> = {};
  for (const id of ids) {
    managers[id] = (await makeManager(fixture, id, validators)).manager;
    running.push(managers[id]);
  }
  await Promise.all(Object.values(managers).map((m) => m.start()));
  return { managers, validators };
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
    for (const id of IDS) expect([...managers[id].connectionCounts().values()]).toEqual([1, 1]);
  });
});
