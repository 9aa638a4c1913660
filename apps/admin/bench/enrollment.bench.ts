// Run: node --conditions=development --import tsx apps/admin/bench/enrollment.bench.ts [enrollments=100] [polls=2000]
// Measures the admin app over real HTTP on a temp SQLite register: enroll → approve latency
// (CSRs and proofs prepared outside the timed loop), revocation polling (304 and 200), CRL fetch.
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generatePrivateKey, toHex } from '#chain';
import { createKeyAndCsr, signEnrollmentProof } from '#pki';
import { startAdminApp } from '../src/app.js';
import { loadAdminConfig } from '../src/config.js';
import { initAdmin } from '../src/init.js';

const enrollments = Number(process.argv[2] ?? 100);
const polls = Number(process.argv[3] ?? 2000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** One table row; ops/s is sequential throughput (one request in flight). */
function summary(name: string, samplesMs: number[]): string {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const totalMs = samplesMs.reduce((sum, ms) => sum + ms, 0);
  return `| ${name} | ${samplesMs.length} | ${percentile(sorted, 50).toFixed(2)} | ${percentile(sorted, 99).toFixed(2)} | ${((samplesMs.length / totalMs) * 1000).toFixed(0)} |`;
}

async function timed(samples: number[], work: () => Promise<void>): Promise<void> {
  const start = performance.now();
  await work();
  samples.push(performance.now() - start);
}

const dataDir = mkdtempSync(join(tmpdir(), 'accord-admin-bench-'));
const password = 'bench-admin-password';
writeFileSync(join(dataDir, 'pw'), password);
const overrides = { dataDir, caPassphrase: 'bench-passphrase', port: 0, validatorPollMs: 0 };
await initAdmin(loadAdminConfig(overrides, {}), { consortiumName: 'Bench', passwordFile: join(dataDir, 'pw') });
const running = await startAdminApp({ config: overrides, logLevels: ['error'] });
const json = async (method: string, path: string, body?: unknown, token?: string): Promise<Record<string, unknown>> => {
  const response = await fetch(running.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
};

try {
  const { token } = (await json('POST', '/v1/auth/login', { username: 'admin', password })) as { token: string };
  const { id: organisationId } = (await json('POST', '/v1/organisations', { name: 'Bench Org' }, token)) as { id: string };
  const prepared = [];
  for (let i = 0; i < enrollments; i++) {
    const invitation = (await json('POST', '/v1/invitations', { organisationId, role: 'client' }, token)) as { token: string };
    const { csrPem } = await createKeyAndCsr({ commonName: `bench-${i}`, organization: 'Bench Org' });
    const proof = signEnrollmentProof({ token: invitation.token, csrPem, accountPrivateKeyHex: toHex(generatePrivateKey()) });
    prepared.push({ token: invitation.token, name: `bench ${i}`, csrPem, accountPublicKey: proof.accountPublicKeyHex, proofSignature: proof.signatureHex });
  }

  const enrollMs: number[] = [];
  const approveMs: number[] = [];
  let lastSerial = '';
  for (const body of prepared) {
    let id = '';
    await timed(enrollMs, async () => {
      id = ((await json('POST', '/v1/enroll', body)) as { id: string }).id;
    });
    await timed(approveMs, async () => {
      lastSerial = ((await json('POST', `/v1/enrollments/${id}/approve`, {}, token)) as { certificateSerial: string }).certificateSerial;
    });
  }

  const revokeMs: number[] = [];
  await timed(revokeMs, async () => {
    await json('POST', `/v1/certificates/${lastSerial}/revoke`, { reason: 'superseded' }, token);
  });

  const first = await fetch(`${running.url}/v1/revocations`);
  const etag = first.headers.get('etag')!;
  await first.text();
  const notModifiedMs: number[] = [];
  for (let i = 0; i < polls; i++) {
    await timed(notModifiedMs, async () => {
      const response = await fetch(`${running.url}/v1/revocations`, { headers: { 'if-none-match': etag } });
      await response.arrayBuffer();
      if (response.status !== 304) throw new Error(`expected 304, got ${response.status}`);
    });
  }
  const fullMs: number[] = [];
  for (let i = 0; i < polls / 4; i++) {
    await timed(fullMs, async () => {
      await (await fetch(`${running.url}/v1/revocations`)).json();
    });
  }
  const crlMs: number[] = [];
  for (let i = 0; i < polls / 4; i++) {
    await timed(crlMs, async () => {
      await (await fetch(`${running.url}/v1/crl`)).text();
    });
  }

  const lines = [
    `Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, ${execSync('uname -sr').toString().trim()}; SQLite register (WAL), sequential requests over loopback HTTP.`,
    '',
    '| operation | n | p50 ms | p99 ms | ops/s |',
    '|---|---|---|---|---|',
    summary('POST /v1/enroll (CSR + proof verified, pending)', enrollMs),
    summary('POST /v1/enrollments/:id/approve (member + certificate issued)', approveMs),
    summary('POST /v1/certificates/:serial/revoke (CRL re-signed)', revokeMs),
    summary('GET /v1/revocations with If-None-Match → 304', notModifiedMs),
    summary('GET /v1/revocations → 200', fullMs),
    summary('GET /v1/crl', crlMs),
  ];
  console.log(lines.join('\n'));
} finally {
  await running.close();
  rmSync(dataDir, { recursive: true, force: true });
}
