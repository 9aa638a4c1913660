import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeRole, parseGenesis, toHex, TxType, type Genesis } from '#chain';
import { enrollBody, memberKeys, startAdminFixture, type AdminFixture } from './support/admin-fixture.js';
import { StubChain, startStubValidator, type StubValidator } from './support/stub-validators.js';

// The admin app against stand-in validators on real sockets: they serve the chain's node set and
// /v1/status and record every transaction, so the test sees exactly what the admin signs.
describe('network nodes: NODE_ADD / NODE_PROMOTE / NODE_REMOVE through the governance outbox, with pre-flight checks', () => {
  let fx: AdminFixture;
  const chain = new StubChain();
  const stubs = new Map<string, StubValidator>();
  let organisationId: string;
  let genesis: Genesis;
  let auditorToken: string;

  /** Enrols a validator member (auto-approved) served by a stub at its REST URL. */
  async function enrolValidator(nodeId: string, port: number): Promise<{ accountPublicKey: string }> {
    const stub = await startStubValidator(chain, nodeId);
    stubs.set(nodeId, stub);
    const { token } = (await fx.call('POST', '/v1/invitations', { organisationId, role: 'validator', autoApprove: true })).body as { token: string };
    const body = enrollBody(token, await memberKeys(nodeId), { nodeId, p2pAddress: `127.0.0.1:${port}`, restUrl: stub.url });
    expect((await fx.call('POST', '/v1/enroll', body, null)).body).toMatchObject({ status: 'approved' });
    return { accountPublicKey: body.accountPublicKey as string };
  }

  const stub = (nodeId: string): StubValidator => stubs.get(nodeId)!;

  async function expectRefused(method: string, path: string, body: unknown, code: string): Promise<string> {
    const before = chain.received.length;
    const response = await fx.call(method, path, body);
    expect(response.status, response.text).toBe(409);
    expect(response.body).toMatchObject({ code });
    expect(chain.received.length, 'a refused change must submit nothing').toBe(before);
    return (response.body as { message: string }).message;
  }

  beforeAll(async () => {
    fx = await startAdminFixture();
    organisationId = ((await fx.call('POST', '/v1/organisations', { name: 'Globex' })).body as { id: string }).id;
    for (const [i, nodeId] of ['v1', 'v2', 'v3', 'v4'].entries()) await enrolValidator(nodeId, 7401 + i);
    expect((await fx.call('POST', '/v1/consortium/genesis', { consensus: 'raft' })).status).toBe(201);
    genesis = parseGenesis(JSON.parse((await fx.call('GET', '/v1/consortium/genesis', undefined, null)).text));
    chain.seed(genesis.validators);
    await fx.call('POST', '/v1/users', { username: 'auditor1', role: 'auditor', password: 'auditor-password-1' });
    auditorToken = ((await fx.call('POST', '/v1/auth/login', { username: 'auditor1', password: 'auditor-password-1' }, null)).body as { token: string }).token;
  });
  afterAll(async () => {
    await fx?.close();
    for (const s of stubs.values()) await s.close();
  });

  it('shows the chain node set from the validators, annotated with polled reachability and height', async () => {
    stub('v4').height = 7;
    await fx.running.services.validatorStatus.pollOnce();
    const response = await fx.call('GET', '/v1/network/nodes');
    expect(response.status, response.text).toBe(200);
    const view = response.body as { consensus: string; height: number; nodes: { nodeId: string; role: string; reachable: boolean; height: number | null; spkiSha256: string }[]; lastChange: unknown };
    expect(view).toMatchObject({ consensus: 'raft', height: chain.height, lastChange: null });
    expect(view.nodes.map((n) => [n.nodeId, n.role, n.reachable, n.height])).toEqual([
      ['v1', 'voter', true, chain.height],
      ['v2', 'voter', true, chain.height],
      ['v3', 'voter', true, chain.height],
      ['v4', 'voter', true, 7],
    ]);
    expect(view.nodes[0]!.spkiSha256).toBe(genesis.validators.find((v) => v.nodeId === 'v1')!.spkiSha256);
    stub('v4').height = undefined;
  });

  it('refuses to add a node that is not an active validator member with a certificate', async () => {
    const unknown = await fx.call('POST', '/v1/network/nodes', { nodeId: 'nobody', role: 'learner' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'VALIDATOR_NOT_FOUND' });
    await expectRefused('POST', '/v1/network/nodes', { nodeId: 'v1', role: 'learner' }, 'NODE_EXISTS');
    const invalid = await fx.call('POST', '/v1/network/nodes', { nodeId: 'v5', role: 'voter' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('adds an enrolled validator as a learner: NODE_ADD from the register, signed by the governance key with the next nonce', async () => {
    const { accountPublicKey } = await enrolValidator('v5', 7405);
    // Approving v5 after genesis already sent its MEMBER_ADD with governance nonce 0.
    expect(chain.received.map((tx) => [tx.body.payload.type, tx.body.nonce])).toEqual([[TxType.MEMBER_ADD, 0n]]);
    const members = (await fx.call('GET', '/v1/members?role=validator')).body as { id: string; nodeId: string }[];
    const memberId = members.find((m) => m.nodeId === 'v5')!.id;
    const certificates = (await fx.call('GET', `/v1/certificates?memberId=${memberId}&status=active`)).body as { spkiSha256: string }[];
    expect(certificates).toHaveLength(1);

    chain.autoCommit = false;
    const response = await fx.call('POST', '/v1/network/nodes', { nodeId: 'v5', role: 'learner' });
    expect(response.status, response.text).toBe(202);
    const tx = chain.received.at(-1)!;
    expect(response.body).toEqual({ change: 'node-add', nodeId: 'v5', status: 'submitted', txHash: tx.hashHex, nonce: '1' });
    expect(tx.verifySignature()).toBe(true);
    expect(toHex(tx.body.sender)).toBe(genesis.governanceKeys[0]);
    expect(tx.body.chainId).toBe(genesis.chainId);
    expect(tx.body.nonce).toBe(1n);
    const payload = tx.body.payload;
    expect(payload.type).toBe(TxType.NODE_ADD);
    if (payload.type !== TxType.NODE_ADD) return;
    expect({ ...payload, consensusPublicKey: toHex(payload.consensusPublicKey), spkiSha256: toHex(payload.spkiSha256) }).toEqual({
      type: TxType.NODE_ADD,
      nodeId: 'v5',
      organization: 'Globex',
      consensusPublicKey: accountPublicKey,
      spkiSha256: certificates[0]!.spkiSha256,
      p2pAddress: '127.0.0.1:7405',
      apiUrl: stub('v5').url,
      role: NodeRole.LEARNER,
    });
    const audit = (await fx.call('GET', '/v1/audit?limit=5')).body as { entries: { action: string; target: string; details: string }[] };
    const entry = audit.entries.find((e) => e.action === 'governance.node-add')!;
    expect(entry.target).toBe('node:v5');
    expect(JSON.parse(entry.details)).toMatchObject({ txHash: tx.hashHex, nonce: '1' });
  });

  it('refuses a second change while the first is not committed, and says which', async () => {
    const message = await expectRefused('POST', '/v1/network/nodes/v5/promote', undefined, 'NODE_CHANGE_PENDING');
    expect(message).toContain('node-add v5');
    expect(message).toContain('pending');
    chain.commitAll();
    chain.autoCommit = true;
    const view = (await fx.call('GET', '/v1/network/nodes')).body as { nodes: { nodeId: string; role: string }[]; lastChange: { change: string; state: string } };
    expect(view.nodes.find((n) => n.nodeId === 'v5')).toMatchObject({ role: 'learner' });
    expect(view.lastChange).toMatchObject({ change: 'node-add', state: 'committed' });
  });

  it('promotes a learner only once it has caught up', async () => {
    stub('v5').height = chain.height - 20;
    const message = await expectRefused('POST', '/v1/network/nodes/v5/promote', undefined, 'LEARNER_BEHIND');
    expect(message).toContain('20 blocks behind');
    stub('v5').height = undefined;

    const response = await fx.call('POST', '/v1/network/nodes/v5/promote');
    expect(response.status, response.text).toBe(202);
    const tx = chain.received.at(-1)!;
    expect(response.body).toMatchObject({ change: 'node-promote', status: 'submitted', txHash: tx.hashHex, nonce: '2' });
    expect(tx.body.payload).toEqual({ type: TxType.NODE_PROMOTE, nodeId: 'v5' });
    expect(tx.verifySignature()).toBe(true);
    expect(toHex(tx.body.sender)).toBe(genesis.governanceKeys[0]);
  });

  it('mirrors the chain rules before submitting', async () => {
    await expectRefused('POST', '/v1/network/nodes/v1/promote', undefined, 'NODE_NOT_LEARNER');
    await expectRefused('POST', '/v1/network/nodes/ghost/promote', undefined, 'NODE_UNKNOWN');
    await expectRefused('DELETE', '/v1/network/nodes/ghost', undefined, 'NODE_UNKNOWN');
    await expectRefused('POST', '/v1/network/nodes', { nodeId: 'v5', role: 'observer' }, 'NODE_EXISTS');
  });

  it('refuses a removal that would leave fewer live voters than the quorum, naming the numbers', async () => {
    stub('v4').down = true;
    stub('v5').down = true;
    const message = await expectRefused('DELETE', '/v1/network/nodes/v1', undefined, 'QUORUM_AT_RISK');
    expect(message).toContain('removing v1 leaves 2 live voters of 4');
    expect(message).toContain('raft needs 3');

    // Removing a dead voter keeps 3 live of 4: allowed, and the live validators take it.
    const response = await fx.call('DELETE', '/v1/network/nodes/v5');
    expect(response.status, response.text).toBe(202);
    const tx = chain.received.at(-1)!;
    expect(response.body).toMatchObject({ change: 'node-remove', nodeId: 'v5', status: 'submitted', txHash: tx.hashHex, nonce: '3' });
    expect(tx.body.payload).toEqual({ type: TxType.NODE_REMOVE, nodeId: 'v5' });
    expect(tx.verifySignature()).toBe(true);
    stub('v4').down = false;
    stub('v5').down = false;
    await expectRefused('POST', '/v1/network/nodes', { nodeId: 'v5', role: 'learner' }, 'NODE_REMOVED');
  });

  it("surfaces a validator's own refusal with its code, keeps nothing queued, and does not block the next change", async () => {
    await enrolValidator('v6', 7406);
    const nonceBefore = chain.received.at(-1)!.body.nonce;
    chain.refusing = { status: 422, code: 'NOT_A_MEMBER', message: 'the node is not a member' };
    const refused = await fx.call('POST', '/v1/network/nodes', { nodeId: 'v6', role: 'observer' });
    chain.refusing = undefined;
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'NOT_A_MEMBER', message: 'the node is not a member' });
    expect(await fx.running.services.governance.pending()).toEqual([]);
    const audit = (await fx.call('GET', '/v1/audit?limit=5')).body as { entries: { action: string; details: string }[] };
    expect(JSON.parse(audit.entries.find((e) => e.action === 'governance.node-add-refused')!.details)).toMatchObject({ code: 'NOT_A_MEMBER' });

    const accepted = await fx.call('POST', '/v1/network/nodes', { nodeId: 'v6', role: 'observer' });
    expect(accepted.status, accepted.text).toBe(202);
    const tx = chain.received.at(-1)!;
    expect(tx.body.nonce).toBe(nonceBefore + 1n);
    expect(tx.body.payload).toMatchObject({ type: TxType.NODE_ADD, nodeId: 'v6', role: NodeRole.OBSERVER });
  });

  it('refuses a change for a suspended validator member', async () => {
    await enrolValidator('v7', 7407);
    const memberId = ((await fx.call('GET', '/v1/members?role=validator')).body as { id: string; nodeId: string }[]).find((m) => m.nodeId === 'v7')!.id;
    expect((await fx.call('POST', `/v1/members/${memberId}/suspend`)).status).toBe(200);
    const response = await fx.call('POST', '/v1/network/nodes', { nodeId: 'v7', role: 'learner' });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ code: 'MEMBER_STATE' });
  });

  it('needs a login, and an admin for changes', async () => {
    const before = chain.received.length;
    for (const [method, path, body] of [
      ['POST', '/v1/network/nodes', { nodeId: 'v7', role: 'learner' }],
      ['POST', '/v1/network/nodes/v6/promote', undefined],
      ['DELETE', '/v1/network/nodes/v6', undefined],
    ] as const) {
      expect((await fx.call(method, path, body, null)).status).toBe(401);
      const forbidden = await fx.call(method, path, body, auditorToken);
      expect(forbidden.status).toBe(403);
      expect(forbidden.body).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect((await fx.call('GET', '/v1/network/nodes', undefined, null)).status).toBe(401);
    expect((await fx.call('GET', '/v1/network/nodes', undefined, auditorToken)).status).toBe(200);
    expect(chain.received.length).toBe(before);
  });

  it('answers 503 VALIDATORS_UNREACHABLE when no validator reports the node set, and submits nothing', async () => {
    for (const s of stubs.values()) s.down = true;
    const before = chain.received.length;
    const view = await fx.call('GET', '/v1/network/nodes');
    expect(view.status).toBe(503);
    expect(view.body).toMatchObject({ code: 'VALIDATORS_UNREACHABLE' });
    const change = await fx.call('DELETE', '/v1/network/nodes/v6');
    expect(change.status).toBe(503);
    expect(chain.received.length).toBe(before);
    for (const s of stubs.values()) s.down = false;
  });
});
