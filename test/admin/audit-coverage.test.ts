import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenesisValidator } from '#chain';
import { ADMIN_PASSWORD, enrollBody, memberKeys, startAdminFixture, type AdminFixture } from './support/admin-fixture.js';
import { operationsOf, routeKey } from './support/routes.js';
import { StubChain, startStubValidator, type StubValidator } from './support/stub-validators.js';

type Json = Record<string, unknown>;

// Drives every mutating route of the OpenAPI document to success once and checks that each
// success appended to the audit log; a new mutating route fails here until it is exercised.
describe('every successful mutating call is audited', () => {
  let fx: AdminFixture;
  let mutatingRoutes: string[];
  const exercised = new Set<string>();
  // Stand-in validators, so that node-set changes after genesis have a chain to go to.
  const chain = new StubChain();
  const stubs: StubValidator[] = [];

  beforeAll(async () => {
    fx = await startAdminFixture();
    for (const nodeId of ['audit-node', 'audit-node-2']) stubs.push(await startStubValidator(chain, nodeId));
    const document = (await fx.call('GET', '/openapi.json', undefined, null)).body as { paths: Record<string, Record<string, unknown>> };
    mutatingRoutes = operationsOf(document).filter((operation) => operation.method !== 'GET').map(routeKey);
  });
  afterAll(async () => {
    await fx?.close();
    for (const stub of stubs) await stub.close();
  });

  async function auditTotal(): Promise<number> {
    return ((await fx.call('GET', '/v1/audit?limit=1')).body as { total: number }).total;
  }

  /** A mutating call that must succeed and add at least one audit row. */
  async function audited(method: string, template: string, path: string, body?: unknown, token?: string | null): Promise<Json> {
    const before = await auditTotal();
    const response = await fx.call(method, path, body ?? {}, token);
    expect(response.status, `${method} ${path}: ${response.text.slice(0, 200)}`).toBeLessThan(300);
    expect(await auditTotal(), `${method} ${template} left no audit row`).toBeGreaterThan(before);
    exercised.add(`${method} ${template}`);
    return (response.body ?? {}) as Json;
  }

  it('covers the whole mutating API', async () => {
    const login = await audited('POST', '/v1/auth/login', '/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD }, null);
    await audited('POST', '/v1/auth/logout', '/v1/auth/logout', undefined, login.token as string);

    const created = await audited('POST', '/v1/users', '/v1/users', { username: 'ops', role: 'admin', password: 'ops-password-123' });
    const opsId = (created.user as Json).id as string;
    const opsToken = ((await fx.call('POST', '/v1/auth/login', { username: 'ops', password: 'ops-password-123' }, null)).body as Json).token as string;
    await audited('POST', '/v1/auth/password', '/v1/auth/password', { currentPassword: 'ops-password-123', newPassword: 'ops-password-456' }, opsToken);
    await audited('POST', '/v1/users/{id}/reset-password', `/v1/users/${opsId}/reset-password`);
    await audited('POST', '/v1/users/{id}/disable', `/v1/users/${opsId}/disable`);
    await audited('POST', '/v1/users/{id}/enable', `/v1/users/${opsId}/enable`);

    const organisationId = (await audited('POST', '/v1/organisations', '/v1/organisations', { name: 'Audit Org' })).id as string;
    const validatorInvite = await audited('POST', '/v1/invitations', '/v1/invitations', { organisationId, role: 'validator' });
    const validatorKeys = await memberKeys('audit-node');
    const enrolled = await audited('POST', '/v1/enroll', '/v1/enroll', enrollBody(validatorInvite.token as string, validatorKeys, { nodeId: 'audit-node', p2pAddress: '127.0.0.1:7601', restUrl: stubs[0]!.url }), null);
    const approved = await audited('POST', '/v1/enrollments/{id}/approve', `/v1/enrollments/${enrolled.id as string}/approve`);

    const rejectInvite = (await fx.call('POST', '/v1/invitations', { organisationId, role: 'client' })).body as Json;
    const rejected = (await fx.call('POST', '/v1/enroll', enrollBody(rejectInvite.token as string, await memberKeys('rejected')), null)).body as Json;
    await audited('POST', '/v1/enrollments/{id}/reject', `/v1/enrollments/${rejected.id as string}/reject`, { reason: 'not expected' });

    const clientKeys = await memberKeys('audit-client');
    const accountPublicKey = (enrollBody('t'.repeat(20), clientKeys) as Json).accountPublicKey as string;
    const member = await audited('POST', '/v1/members', '/v1/members', { organisationId, name: 'Audit client', role: 'client', accountPublicKey, initialBalance: '10' });
    const memberId = member.id as string;
    const issued = await audited('POST', '/v1/certificates', '/v1/certificates', { memberId, csrPem: clientKeys.csrPem });
    await audited('POST', '/v1/certificates/pkcs12', '/v1/certificates/pkcs12', { memberId, password: 'bundle-password' });
    const renewed = await audited('POST', '/v1/certificates/{serial}/renew', `/v1/certificates/${issued.serial as string}/renew`);
    await audited('POST', '/v1/certificates/{serial}/revoke', `/v1/certificates/${renewed.serial as string}/revoke`, { reason: 'superseded' });
    const frozen = await audited('POST', '/v1/consortium/genesis', '/v1/consortium/genesis', { consensus: 'raft' });
    chain.seed((frozen.genesis as { validators: GenesisValidator[] }).validators);
    const joinerInvite = (await fx.call('POST', '/v1/invitations', { organisationId, role: 'validator', autoApprove: true })).body as Json;
    const joiner = enrollBody(joinerInvite.token as string, await memberKeys('audit-node-2'), { nodeId: 'audit-node-2', p2pAddress: '127.0.0.1:7602', restUrl: stubs[1]!.url });
    expect(((await fx.call('POST', '/v1/enroll', joiner, null)).body as Json).status).toBe('approved');
    await audited('POST', '/v1/network/nodes', '/v1/network/nodes', { nodeId: 'audit-node-2', role: 'learner' });
    await fx.running.services.validatorStatus.pollOnce();
    await audited('POST', '/v1/network/nodes/{nodeId}/promote', '/v1/network/nodes/audit-node-2/promote');
    await audited('DELETE', '/v1/network/nodes/{nodeId}', '/v1/network/nodes/audit-node-2');
    await audited('POST', '/v1/members/{id}/suspend', `/v1/members/${memberId}/suspend`);
    await audited('POST', '/v1/members/{id}/reinstate', `/v1/members/${memberId}/reinstate`);
    await audited('POST', '/v1/members/{id}/remove', `/v1/members/${memberId}/remove`);
    await audited('PUT', '/v1/ops/log-level', '/v1/ops/log-level', { level: 'debug' });
    expect(approved.status).toBe('approved');

    expect([...exercised].sort()).toEqual([...mutatingRoutes].sort());
    expect((await fx.call('GET', '/v1/audit/verify')).body).toMatchObject({ ok: true });
  });
});
