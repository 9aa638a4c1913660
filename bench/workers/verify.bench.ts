/**
 * Signature verification: verifications per second on one core for noble, native libsecp256k1
 * and node:crypto (OpenSSL), then batch verification throughput (decode + checks + hash +
 * signature) on one thread, on local worker threads and through Bull sandboxed processes
 * (Redis at REDIS_URL, default redis://127.0.0.1:6379).
 *
 *   node --conditions=development --import tsx bench/workers/verify.bench.ts [--txs 8192] [--no-bull]
 *   npm run build && node dist/bench/workers/verify.bench.js
 */
import { encodeSignedTx, signatureBackend, Transaction, txSigningDigest, verifyDigestNative, verifyDigestNoble } from '#chain';
import { BullTxVerifier, InlineTxVerifier, LocalTxVerifier, TX_VERIFY_QUEUE, type TxVerifier } from '#mempool';
import Bull from 'bull';
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { CHAIN_ID, testAccount, transfer } from '../../test/support/chain-fixtures.js';
import { describeMachine } from '../support/machine.js';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const TX_COUNT = argument('txs', 8192);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
// DER SubjectPublicKeyInfo header for an id-ecPublicKey secp256k1 key with a 33-byte compressed point.
const SPKI_SECP256K1_COMPRESSED = Buffer.from('3036301006072a8648ce3d020106052b8104000a032200', 'hex');

function opensslKey(compressedPublicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_SECP256K1_COMPRESSED, compressedPublicKey]), format: 'der', type: 'spki' });
}

function signingPreimage(tx: Transaction): Uint8Array {
  // txSigningDigest = SHA-256(preimage); OpenSSL verifies over the preimage and hashes it itself.
  const chainId = Buffer.from(tx.body.chainId, 'utf8');
  return Buffer.concat([Buffer.from('ACCORD-TX-V1\0'), Uint8Array.of(chainId.length), chainId, tx.bodyBytes]);
}

function highS(signature: Uint8Array): Uint8Array {
  const s = BigInt(`0x${Buffer.from(signature.subarray(32)).toString('hex')}`);
  return Uint8Array.from([...signature.subarray(0, 32), ...Buffer.from((SECP256K1_N - s).toString(16).padStart(64, '0'), 'hex')]);
}

/** Operations per CPU-second of this (single-threaded) loop: per core, whatever else runs. */
function perSecond(count: number, run: () => void): number {
  const cpuBefore = process.cpuUsage();
  run();
  const cpu = process.cpuUsage(cpuBefore);
  return count / ((cpu.user + cpu.system) / 1e6);
}

function format(value: number): string {
  return Math.round(value).toLocaleString('en').padStart(9);
}

const senders = Array.from({ length: 16 }, (_, i) => testAccount(`bench-${i}`));
const recipient = testAccount('bench-recipient');
const txs = Array.from({ length: TX_COUNT }, (_, i) => transfer(senders[i % senders.length], recipient, BigInt(i + 1), BigInt(i + 1)));
const txBytes = txs.map((tx) => tx.bytes);

function backends(): void {
  const sample = txs.slice(0, 2000);
  const digests = sample.map((tx) => txSigningDigest(tx.body.chainId, tx.bodyBytes));
  const preimages = sample.map(signingPreimage);
  const keys = sample.map((tx) => opensslKey(tx.body.sender));
  const nobleSample = 300;
  const noble = perSecond(nobleSample, () => {
    for (let i = 0; i < nobleSample; i++) verifyDigestNoble(sample[i].signature, digests[i], sample[i].body.sender);
  });
  const native = perSecond(sample.length, () => {
    for (let i = 0; i < sample.length; i++) verifyDigestNative(sample[i].signature, digests[i], sample[i].body.sender);
  });
  const openssl = perSecond(sample.length, () => {
    for (let i = 0; i < sample.length; i++) verify('sha256', preimages[i], { key: keys[i], dsaEncoding: 'ieee-p1363' }, sample[i].signature);
  });
  console.log(`signature verifications per CPU-second, one thread (backend in use: ${signatureBackend()}):`);
  console.log(`  noble ${format(noble)}   native libsecp256k1 ${format(native)}   node:crypto ${format(openssl)}`);
  const tx = sample[0];
  const twin = highS(tx.signature);
  console.log(
    `  high-S twin of a valid signature accepted? noble ${verifyDigestNoble(twin, digests[0], tx.body.sender)}, native ${verifyDigestNative(twin, digests[0], tx.body.sender)}, node:crypto ${verify('sha256', preimages[0], { key: keys[0], dsaEncoding: 'ieee-p1363' }, twin)}`,
  );
  // Keep the twin encodable as a transaction too, as the verifiers would see it.
  void encodeSignedTx(tx.bodyBytes, twin);
}

async function throughput(label: string, verifier: TxVerifier, rounds = 3): Promise<number> {
  await verifier.verifyBatch(txBytes.slice(0, 512)); // warm-up: threads/processes and module loading
  let best = 0;
  // CPU time of this process, all threads (Bull's sandbox processes are not counted).
  const cpuBefore = process.cpuUsage();
  for (let round = 0; round < rounds; round++) {
    const startedMs = performance.now();
    const results = await verifier.verifyBatch(txBytes);
    const rate = TX_COUNT / ((performance.now() - startedMs) / 1000);
    if (results.some((result) => !result.ok)) throw new Error(`${label}: a valid transaction was rejected`);
    best = Math.max(best, rate);
  }
  const cpu = process.cpuUsage(cpuBefore);
  await verifier.close();
  const perCpuSecond = verifier.kind === 'bull' ? '' : `   ${format((TX_COUNT * rounds) / ((cpu.user + cpu.system) / 1e6))} tx per CPU-second`;
  console.log(`  ${label.padEnd(28)} ${format(best)} tx/s${perCpuSecond}`);
  return best;
}

console.log(describeMachine());
console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
backends();
console.log(`batch verification of ${TX_COUNT} transfers (best of 3):`);
const inline = await throughput('one thread (inline)', new InlineTxVerifier({ chainId: CHAIN_ID }));
await throughput('local worker threads x1', new LocalTxVerifier({ chainId: CHAIN_ID, workers: 1 }));
const local = await throughput('local worker threads x2', new LocalTxVerifier({ chainId: CHAIN_ID, workers: 2 }));
console.log(`  local / one thread: ${(local / inline).toFixed(2)}x`);
if (!process.argv.includes('--no-bull')) {
  const prefix = `accord-bench-${randomBytes(4).toString('hex')}`;
  const bull = await throughput('bull processes x2, 512/job', new BullTxVerifier({ chainId: CHAIN_ID, redisUrl: REDIS_URL, prefix, processes: 2, txsPerJob: 512 }));
  console.log(`  bull / one thread: ${(bull / inline).toFixed(2)}x`);
  const queue = new Bull(TX_VERIFY_QUEUE, REDIS_URL, { prefix });
  await queue.obliterate({ force: true });
  await queue.close();
}
console.log(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
