// Run: node --conditions=development --import tsx bench/pki/issue.bench.ts [csrCount=300]
//
// Measures CSR → certificate issuance by the issuing CA (CSR parse + self-signature check +
// certificate build + RSA-3072 signature), one certificate at a time as the admin app does it,
// and CRL generation for a large revocation list. Key and CSR generation happen before timing.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createConsortiumCa, createCrl, createKeyAndCsr, issueCertificate, type CertificateProfile } from '#pki';

const csrCount = Number(process.argv[2] ?? 300);
const warmupCount = 20;
const crlEntryCount = 1000;
const crlRuns = 10;

function percentile(sortedMs: readonly number[], fraction: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil(fraction * sortedMs.length) - 1)];
}

function summary(label: string, samplesMs: number[], wallMs: number): string {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  const rate = (sorted.length / wallMs) * 1000;
  const cells = [percentile(sorted, 0.5), percentile(sorted, 0.9), percentile(sorted, 0.99), sorted[sorted.length - 1], mean].map((value) => value.toFixed(2));
  return `| ${label} | ${sorted.length} | ${cells.join(' | ')} | ${rate.toFixed(1)} |`;
}

const ca = await createConsortiumCa({ name: 'Bench Consortium' });
const profiles: CertificateProfile[] = ['validator', 'client', 'org-admin'];
const setupStart = performance.now();
const requests = await Promise.all(
  Array.from({ length: csrCount + warmupCount }, (_, index) => createKeyAndCsr({ commonName: `subject-${index}`, organization: 'Bench Org' })),
);
const setupMs = performance.now() - setupStart;

for (const request of requests.slice(0, warmupCount)) {
  issueCertificate({ issuer: ca.issuing, csrPem: request.csrPem, profile: 'client', subjectId: 'warmup', organization: 'Bench Org' });
}

const issueSamplesMs: number[] = [];
const serials: string[] = [];
const loopStart = performance.now();
requests.slice(warmupCount).forEach((request, index) => {
  const start = performance.now();
  const issued = issueCertificate({ issuer: ca.issuing, csrPem: request.csrPem, profile: profiles[index % profiles.length], subjectId: `subject-${index}`, organization: 'Bench Org' });
  issueSamplesMs.push(performance.now() - start);
  serials.push(issued.serialHex);
});
const issueWallMs = performance.now() - loopStart;

const revoked = Array.from({ length: crlEntryCount }, (_, index) => ({
  serialHex: serials[index % serials.length] + index.toString(16).padStart(4, '0'),
  revokedAt: new Date(),
  reason: 'keyCompromise' as const,
}));
const crlSamplesMs: number[] = [];
const crlStart = performance.now();
for (let run = 0; run < crlRuns; run++) {
  const start = performance.now();
  await createCrl({ issuer: ca.issuing, revoked, crlNumber: run + 1, thisUpdate: new Date(), nextUpdate: new Date(Date.now() + 86_400_000) });
  crlSamplesMs.push(performance.now() - start);
}
const crlWallMs = performance.now() - crlStart;

console.log(`machine: ${os.cpus().length} CPUs (nproc ${os.availableParallelism()}), ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${os.platform()} ${os.arch()}`);
console.log(`setup: ${csrCount + warmupCount} RSA-2048 keys + CSRs in ${(setupMs / 1000).toFixed(1)} s (not timed below); issuing CA RSA-3072; ${warmupCount} warm-up issuances excluded`);
console.log('');
console.log('| operation | n | p50 ms | p90 ms | p99 ms | max ms | mean ms | ops/s |');
console.log('|---|---|---|---|---|---|---|---|');
console.log(summary('issueCertificate (CSR → cert, profiles rotating)', issueSamplesMs, issueWallMs));
console.log(summary(`createCrl (${crlEntryCount} entries)`, crlSamplesMs, crlWallMs));
