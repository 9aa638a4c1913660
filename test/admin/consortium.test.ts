import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGenesis, toHex, Transaction, TxType } from '#chain';
import { enrollBody, memberKeys, startAdminFixture, type AdminFixture } from './support/admin-fixture.js';

/** A stand-in validator REST API on a real socket: status and transaction intake. */
interface FakeValidator {
  url: string;
  received: Transaction[];
  accepting: boolean;
  /** When set, refuses nonces below it with NONCE_REPLAY and reports it as the account nonce. */
  chainNonce?: bigint;
  /** Answer the next submission with 409 TX_DUPLICATE (as if it had arrived before). */
  duplicateNext: boolean;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => resolve(text));
  });
}

async function startFakeValidator(height: number): Promise<FakeValidator> {
  const fake: FakeValidator = { url: '', received: [], accepting: true, duplicateNext: false, close: async () => undefined };
  const server: Server = createServer((request, response) => {
    void (async () => {
      if (request.method === 'GET' && request.url === '/v1/status') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ height, role: 'leader' }));
        return;
      }
      if (request.method === 'POST' && request.url === '/v1/transactions') {
        const body = JSON.parse(await readBody(request)) as { tx: string };
        if (!fake.accepting) {
          response.writeHead(503).end('busy');
          return;
        }
        const tx = Transaction.fromBytes(Buffer.from(body.tx, 'hex'));
        if (fake.duplicateNext) {
          fake.duplicateNext = false;
          response.writeHead(409, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'TX_DUPLICATE', message: 'already pooled' }));
          return;
        }
        if (fake.chainNonce !== undefined && tx.body.nonce < fake.chainNonce) {
          response.writeHead(409, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'NONCE_REPLAY', message: 'nonce already used' }));
          return;
        }
        if (fake.chainNonce !== undefined) fake.chainNonce = tx.body.nonce + 1n;
        fake.received.push(tx);
        response.writeHead(202, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      if (request.method === 'GET' && request.url?.startsWith('/v1/accounts/0x')) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ nonce: String(fake.chainNonce ?? 0n) }));
        return;
      }
      response.writeHead(404).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}

/** A URL nothing listens on: bind a port, then release it. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('consortium: validator status, frozen genesis, governance transactions', () => {
  let fx: AdminFixture;
  let live: FakeValidator;
  let organisationId: string;
  let clientId: string;
  let governanceKey: string;

  beforeAll(async () => {
    fx = await startAdminFixture();
    live = await startFakeValidator(42);
    organisationId = ((await fx.call('POST', '/v1/organisations', { name: 'Initech' })).body as { id: string }).id;
    // node-a is down; node-b answers. Governance must skip a and reach b.
    for (const [nodeId, restUrl] of [['node-a', await deadUrl()], ['node-b', live.url]] as const) {
      const { token } = (await fx.call('POST', '/v1/invitations', { organisationId, role: 'validator', autoApprove: true })).body as { token: string };
      const keys = await memberKeys(nodeId);
      const enrolled = await fx.call('POST', '/v1/enroll', enrollBody(token, keys, { nodeId, p2pAddress: `127.0.0.1:${nodeId === 'node-a' ? 7301 : 7302}`, restUrl }), null);
      expect(enrolled.body).toMatchObject({ status: 'approved' });
    }
    const clientKeys = await memberKeys('client');
    const accountPublicKey = (enrollBody('t'.repeat(20), clientKeys) as { accountPublicKey: string }).accountPublicKey;
    clientId = ((await fx.call('POST', '/v1/members', { organisationId, name: 'Initech treasury', role: 'client', accountPublicKey, initialBalance: '1000000' })).body as { id: string }).id;
    expect((await fx.call('POST', '/v1/certificates', { memberId: clientId, csrPem: clientKeys.csrPem })).status).toBe(201);
  });
  afterAll(async () => {
    await fx?.close();
    await live?.close();
  });

  it('lists validators with their last polled status, tolerating one that is down', async () => {
    await fx.running.services.validatorStatus.pollOnce();
    const validators = (await fx.call('GET', '/v1/validators')).body as { nodeId: string; reachable: boolean; reported: { height?: number } | null; error: string | null; lastSeenAt: string | null }[];
    const byNode = new Map(validators.map((v) => [v.nodeId, v]));
    expect(byNode.get('node-b')).toMatchObject({ reachable: true, reported: { height: 42 }, error: null });
    expect(byNode.get('node-a')).toMatchObject({ reachable: false, lastSeenAt: null });
    expect(byNode.get('node-a')!.error).toBeTruthy();
  });

  it('has no genesis until one is generated; then serves the same bytes every time', async () => {
    expect((await fx.call('GET', '/v1/consortium/genesis', undefined, null)).body).toMatchObject({ code: 'GENESIS_NOT_READY' });
    const generated = await fx.call('POST', '/v1/consortium/genesis', { consensus: 'raft', blockIntervalMs: 500 });
    expect(generated.status).toBe(201);
    const first = await fx.call('GET', '/v1/consortium/genesis', undefined, null);
    const second = await fx.call('GET', '/v1/consortium/genesis', undefined, null);
    expect(second.text).toBe(first.text);
    const hash = createHash('sha256').update(first.text).digest('hex');
    expect(first.headers.get('x-genesis-hash')).toBe(hash);
    expect((generated.body as { hash: string }).hash).toBe(hash);

    const genesis = parseGenesis(JSON.parse(first.text));
    expect(genesis.consensus).toMatchObject({ type: 'raft', blockIntervalMs: 500 });
    expect(genesis.validators.map((v) => v.nodeId).sort()).toEqual(['node-a', 'node-b']);
    const certificates = (await fx.call('GET', '/v1/certificates?status=active')).body as { spkiSha256: string; profile: string }[];
    for (const validator of genesis.validators) {
      expect(certificates.map((c) => c.spkiSha256)).toContain(validator.spkiSha256);
      expect(validator.organization).toBe('Initech');
    }
    const members = (await fx.call('GET', '/v1/members')).body as { accountPublicKey: string; nodeId: string | null }[];
    const nodeB = members.find((m) => m.nodeId === 'node-b')!;
    expect(genesis.validators.find((v) => v.nodeId === 'node-b')).toMatchObject({ consensusPublicKey: nodeB.accountPublicKey, apiUrl: live.url, p2pAddress: '127.0.0.1:7302' });
    expect(genesis.members.find((m) => m.role === 'client')).toMatchObject({ balance: '1000000' });
    governanceKey = genesis.governanceKeys[0]!;
    expect(governanceKey).toMatch(/^0[23][0-9a-f]{64}$/);

    const again = await fx.call('POST', '/v1/consortium/genesis', { consensus: 'pbft' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'GENESIS_FROZEN' });
    expect((await fx.call('GET', '/v1/consortium/genesis', undefined, null)).text).toBe(first.text);
  });

  it('after genesis, sends membership changes as signed governance transactions and audits their hashes', async () => {
    expect((await fx.call('POST', `/v1/members/${clientId}/suspend`)).body).toMatchObject({ status: 'suspended' });
    expect((await fx.call('POST', `/v1/members/${clientId}/reinstate`)).body).toMatchObject({ status: 'active' });
    const { token } = (await fx.call('POST', '/v1/invitations', { organisationId, role: 'client', autoApprove: true })).body as { token: string };
    const newcomer = await memberKeys('newcomer');
    expect((await fx.call('POST', '/v1/enroll', enrollBody(token, newcomer), null)).body).toMatchObject({ status: 'approved' });

    expect(live.received.map((tx) => tx.body.payload.type)).toEqual([TxType.MEMBER_SUSPEND, TxType.MEMBER_REINSTATE, TxType.MEMBER_ADD]);
    expect(live.received.map((tx) => tx.body.nonce)).toEqual([0n, 1n, 2n]);
    for (const tx of live.received) {
      expect(tx.verifySignature()).toBe(true);
      expect(toHex(tx.body.sender)).toBe(governanceKey);
      expect(tx.body.chainId).toBe('accord-devnet');
    }
    const audit = (await fx.call('GET', '/v1/audit?limit=200')).body as { entries: { action: string; details: string }[] };
    const recorded = audit.entries.filter((e) => e.action.startsWith('governance.') && !e.action.endsWith('-failed')).map((e) => (JSON.parse(e.details) as { txHash: string }).txHash);
    expect(recorded.sort()).toEqual(live.received.map((tx) => tx.hashHex).sort());
  });

  it('keeps a change no validator accepted in the outbox and sends it, in order, before the next one', async () => {
    live.accepting = false;
    await fx.call('POST', `/v1/members/${clientId}/suspend`);
    const audit = (await fx.call('GET', '/v1/audit?limit=5')).body as { entries: { action: string; details: string }[] };
    const failed = audit.entries.find((e) => e.action === 'governance.suspend-failed');
    expect(JSON.parse(failed!.details)).toMatchObject({ nonce: '3' });
    expect(await fx.running.services.governance.pending()).toHaveLength(1);
    expect(await fx.running.services.governance.flush()).toBe(0);

    live.accepting = true;
    await fx.call('POST', `/v1/members/${clientId}/reinstate`);
    expect(live.received.slice(-2).map((tx) => [tx.body.payload.type, tx.body.nonce])).toEqual([
      [TxType.MEMBER_SUSPEND, 3n],
      [TxType.MEMBER_REINSTATE, 4n],
    ]);
    expect(await fx.running.services.governance.pending()).toEqual([]);
  });

  it('retries the outbox on its own once a validator is back', async () => {
    live.accepting = false;
    await fx.call('POST', `/v1/members/${clientId}/suspend`);
    live.accepting = true;
    expect(await fx.running.services.governance.flush()).toBe(1);
    expect(live.received.at(-1)!.body).toMatchObject({ nonce: 5n, payload: { type: TxType.MEMBER_SUSPEND } });
  });

  it('catches up when the chain already used its nonce, and counts a duplicate as accepted', async () => {
    live.chainNonce = 9n;
    await fx.call('POST', `/v1/members/${clientId}/reinstate`);
    expect(live.received.at(-1)!.body).toMatchObject({ nonce: 9n, payload: { type: TxType.MEMBER_REINSTATE } });
    expect(await fx.running.services.governance.pending()).toEqual([]);

    live.duplicateNext = true;
    const before = live.received.length;
    await fx.call('POST', `/v1/members/${clientId}/suspend`);
    expect(live.received.length).toBe(before);
    expect(await fx.running.services.governance.pending()).toEqual([]);
    const audit = (await fx.call('GET', '/v1/audit?limit=3')).body as { entries: { action: string; details: string }[] };
    expect(audit.entries.find((e) => e.action === 'governance.suspend')).toBeDefined();
    live.duplicateNext = false;
    live.chainNonce = 11n;
    await fx.call('POST', `/v1/members/${clientId}/reinstate`);
    expect(live.received.at(-1)!.body.nonce).toBe(11n);
  });
});
