import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_MAX_BODY_BYTES } from '../../apps/admin/src/app.js';
import { startAdminFixture } from '../admin/support/admin-fixture.js';
import { auditTail, registerWrites, seedRegister } from './support/admin-register.js';
import { fuzzRuns, fuzzSeed, fuzzTimeout } from './support/fuzz-config.js';
import type { AuthVariant } from './support/http-cases.js';
import { operationsOf, type FuzzOperation, type OpenApiDocument } from './support/openapi.js';
import { closeRawClient, sendRaw } from './support/raw-http.js';
import { expectEveryOperationFuzzed, fuzzOperation, FuzzStats, schemaChecker, type RestTarget } from './support/rest-fuzzer.js';

// REST fuzzing of the admin app, driven by its /openapi.json: every operation with a valid admin
// session (so the handlers run) and every secured one also without or with junk credentials.
const RUNS = fuzzRuns(50);
const UNAUTHENTICATED_RUNS = Math.max(1, Math.ceil(RUNS / 4));
const FUZZ_USER = 'fuzz-admin';
const FUZZ_PASSWORD = randomBytes(18).toString('base64url');
// A refused request may leave exactly these audit entries behind: failed logins and enrollments are recorded on purpose.
const AUDITED_REFUSALS: Readonly<Record<string, readonly string[]>> = { 'POST /v1/auth/login': ['auth.login-failed'], 'POST /v1/enroll': ['enrollment.refused'] };

const fx = await startAdminFixture();
const register = await seedRegister(fx);
const document = (await fx.call('GET', '/openapi.json', undefined, null)).body as OpenApiDocument;
// Sessions of a user of its own, opened in-process: fuzzed logins (throttled per IP) cannot lock it out.
await fx.running.services.auth.createUser('fuzz-setup', FUZZ_USER, 'admin', FUZZ_PASSWORD);
async function openSession(): Promise<string> {
  return (await fx.running.services.auth.login(FUZZ_USER, FUZZ_PASSWORD, 'fuzz-harness')).token;
}
let token = await openSession();

interface RegisterState {
  /** Rows written so far (every table, audit log included). */
  writes: number;
  auditSeq: number;
}

async function snapshot(): Promise<RegisterState> {
  return { writes: await registerWrites(fx), auditSeq: (await auditTail(fx, Number.MAX_SAFE_INTEGER)).lastSeq };
}

const asAdmin: AuthVariant = { name: 'admin', headers: () => ({ authorization: `Bearer ${token}` }), grantsAccess: true };
const anonymous: AuthVariant = { name: 'anonymous', headers: () => ({}), grantsAccess: false };
const junkTokens = ['Bearer', 'Bearer ', `Bearer ${'0'.repeat(64)}`, 'Basic YWRtaW46YWRtaW4=', 'bearer x', `Bearer ${'a'.repeat(5000)}`, 'Bearer \u00ff\u00fe', 'Bearer ../../', 'Token abc'];
let junkIndex = 0;
const junkCredentials: AuthVariant = { name: 'junk-token', headers: () => ({ authorization: junkTokens[junkIndex++ % junkTokens.length] }), grantsAccess: false };

const csrLines = register.csrPem.trim().split('\n');
const target: RestTarget<RegisterState> = {
  name: 'admin',
  baseUrl: fx.url,
  operations: operationsOf(document),
  context: {
    maxBodyBytes: ADMIN_MAX_BODY_BYTES,
    conforms: schemaChecker(),
    samples: {
      id: [register.organisationId, register.memberId, register.enrollmentId, register.invitationId],
      serial: [register.certificateSerial, register.certificateSerial.toUpperCase(), `0${register.certificateSerial}`, '00'],
      organisationId: [register.organisationId, register.organisationId.toUpperCase()],
      memberId: [register.memberId],
      csrPem: [register.csrPem, `${register.csrPem}junk`, csrLines.slice(0, -3).join('\n'), csrLines.map((line, i) => (i === 3 ? line.replace(/^./, 'A') : line)).join('\n'), '-----BEGIN CERTIFICATE REQUEST-----\n-----END CERTIFICATE REQUEST-----'],
      accountPublicKey: [register.memberAccountKey, register.proofAccountKey, register.proofAccountKey.toUpperCase(), `04${'ab'.repeat(64)}`],
      token: [register.openToken, register.usedToken],
      'x-enrollment-token': [register.openToken, register.usedToken],
      proofSignature: [register.proofSignature, register.proofSignature.replace(/^../, '00')],
      nodeId: ['fuzz-node', 'node-1', 'validator-1'],
      p2pAddress: ['127.0.0.1:7299', '[::1]:7000', 'host:0', 'host:65536', 'no-port'],
      restUrl: ['http://127.0.0.1:8299', 'https://x', 'javascript:alert(1)', 'ftp://x'],
      username: ['admin', 'Admin', 'auditor1'],
      name: ['Fuzz Org', 'Globex', ' '],
      initialBalance: ['0', '1', '-1', '18446744073709551616', '1e3'],
      genesisTime: ['2026-01-01T00:00:00.000Z', 'not a date', '2026-02-30T00:00:00Z'],
    },
  },
  authVariants: (operation) => (operation.secured ? [asAdmin, anonymous, junkCredentials] : [anonymous]),
  // No validator runs here; once a fuzzed approval registers one, node-set routes cannot reach it.
  dependencyFailures: new Set(['VALIDATORS_UNREACHABLE']),
  snapshot,
  async refusalMayChange(operation: FuzzOperation, before, after) {
    // Allowed: only audit entries of the expected kinds, and no other row written.
    const allowed = AUDITED_REFUSALS[operation.key] ?? [];
    const { actions } = await auditTail(fx, before.auditSeq);
    return actions.length > 0 && after.writes - before.writes === actions.length && actions.every((action) => allowed.includes(action));
  },
  async afterServed(operation, _served, response) {
    // Logging out or changing the password ends the fuzzing session: open another one.
    if (operation.key === 'POST /v1/auth/logout' || operation.key === 'POST /v1/auth/password') token = await openSession();
    // A served log-level change would flood the output at debug level: put the previous one back.
    if (operation.key === 'PUT /v1/ops/log-level') {
      const { previous } = JSON.parse(response.text) as { previous: string };
      const restored = await fx.call('PUT', '/v1/ops/log-level', { level: previous }, token);
      if (restored.status !== 200) throw new Error(`cannot restore the log level: ${restored.status} ${restored.text}`);
    }
  },
};

const stats = new FuzzStats();

afterAll(async () => {
  console.info(`${stats.summary('admin REST fuzz')} (seed ${fuzzSeed}, ${RUNS} runs per operation with a session, ${UNAUTHENTICATED_RUNS} without)`);
  closeRawClient();
  await fx.close();
});

describe(`admin REST fuzzing (seed ${fuzzSeed})`, () => {
  it('the state probe sees a write: a served request moves it, a refused one does not', async () => {
    const before = await snapshot();
    expect((await fx.call('POST', '/v1/organisations', { name: 'Probe Org' }, token)).status).toBe(201);
    const afterServed = await snapshot();
    expect(afterServed.writes).toBeGreaterThan(before.writes);
    expect((await fx.call('POST', '/v1/organisations', { name: 'Probe Org' }, token)).status).toBe(409);
    expect(await snapshot()).toEqual(afterServed);
  });

  it('the document marks the register routes as secured', () => {
    const secured = new Set(target.operations.filter((o) => o.secured).map((o) => o.key));
    expect([...secured]).toEqual(expect.arrayContaining(['POST /v1/members', 'POST /v1/certificates/{serial}/revoke', 'GET /v1/audit']));
    expect(secured.has('POST /v1/enroll')).toBe(false);
  });

  it.each(target.operations.map((operation) => [operation.key, operation] as const))('%s', async (_key, operation) => {
    for (const auth of target.authVariants(operation)) await fuzzOperation(target, operation, auth, auth === asAdmin || !operation.secured ? RUNS : UNAUTHENTICATED_RUNS, stats);
  }, fuzzTimeout(RUNS, 500));

  it('every documented operation was fuzzed; the app is healthy, its audit chain intact, nothing polluted', async () => {
    expectEveryOperationFuzzed(target, stats);
    expect((await sendRaw(fx.url, { method: 'GET', path: '/healthz', headers: {} })).status).toBe(200);
    expect((await fx.call('GET', '/v1/auth/me', undefined, token)).body).toMatchObject({ username: FUZZ_USER });
    expect((await fx.call('GET', '/v1/audit/verify', undefined, token)).body).toMatchObject({ ok: true });
    expect(Object.keys(Object.prototype)).toEqual([]);
    const created = await fx.call('POST', '/v1/organisations', { name: `after-fuzz-${Date.now()}` }, token);
    expect(created.status).toBe(201);
  });
});
