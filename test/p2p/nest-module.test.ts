import { Test, type TestingModule } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { P2pModule, PeerManager } from '#p2p';
import { capturingLogger, freePort, makeCertFixture, validatorsFor, type CertFixture } from './fixture.js';

let fixture: CertFixture;

beforeAll(async () => {
  fixture = await makeCertFixture(['node-a', 'node-b']);
});
afterAll(async () => {
  await fixture.cleanup();
});

describe('P2pModule', () => {
  it('starts the peer manager with the application, links two nodes and stops it on close', async () => {
    const validators = await validatorsFor(fixture, { 'node-a': await freePort(), 'node-b': await freePort() });
    const apps: TestingModule[] = [];
    for (const nodeId of ['node-a', 'node-b']) {
      const credentials = await fixture.credentials(nodeId);
      const moduleRef = await Test.createTestingModule({
        imports: [
          P2pModule.forRootAsync({
            useFactory: () => ({ nodeId, credentials, validators, listenHost: '127.0.0.1', logger: capturingLogger().logger }),
          }),
        ],
      }).compile();
      apps.push(moduleRef);
    }
    await Promise.all(apps.map((app) => app.init()));
    const [a, b] = apps.map((app) => app.get(PeerManager));
    await vi.waitFor(() => expect(a.connectedPeers()).toEqual(['node-b']), { timeout: 10_000 });
    const got: string[] = [];
    b.subscribe(1, (from, payload) => got.push(`${from}:${payload.toString()}`));
    a.send('node-b', 1, Buffer.from('via nest'));
    await vi.waitFor(() => expect(got).toEqual(['node-a:via nest']));

    await apps[1].close();
    await vi.waitFor(() => expect(a.connectedPeers()).toEqual([]));
    expect(b.connectedPeers()).toEqual([]);
    await apps[0].close();
  });
});
