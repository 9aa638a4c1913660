/**
 * Proof-of-work sealing: per-worker hash rate of the nonce search against bare SHA-256 loops
 * over the same bytes (createHash and crypto.hash), then seal time and hash rate with 1 and 2
 * local worker threads and 1 and 2 Bull sandboxed processes (Redis at REDIS_URL, default
 * redis://127.0.0.1:6379).
 *
 *   node --conditions=development --import tsx bench/workers/pow.bench.ts [--bits 20] [--seals 8] [--no-bull]
 *   npm run build && node dist/bench/workers/pow.bench.js
 */
import { sha256, type BlockHeader } from '#chain';
import { BullPowSealer, LocalPowSealer, POW_SEAL_QUEUE, sealTemplate, searchNonces, type PowSealer } from '#consensus';
import Bull from 'bull';
import { createHash, hash, randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { describeMachine } from '../support/machine.js';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const BITS = argument('bits', 20);
const SEALS = argument('seals', 8);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function header(height: number): BlockHeader {
  return {
    chainId: 'accord-bench',
    height: BigInt(height),
    prevHash: sha256(Uint8Array.of(height & 0xff, height >> 8)),
    timestampMs: 1_767_225_600_000n + BigInt(height) * 1000n,
    txRoot: sha256(Uint8Array.of(1)),
    stateRoot: sha256(Uint8Array.of(2)),
    proposer: 'validator-1',
    consensusData: new Uint8Array(8),
    txCount: 1000,
    powDifficultyBits: 0,
    powNonce: 0n,
  };
}

/** Hashes per CPU-second of `hashes` computed by `run` on this thread: per core, whatever else runs. */
function rate(hashes: number, run: () => void): number {
  const cpuBefore = process.cpuUsage();
  run();
  const cpu = process.cpuUsage(cpuBefore);
  return hashes / ((cpu.user + cpu.system) / 1e6);
}

function searchVersusBareLoops(): void {
  const template = sealTemplate(header(1), 64);
  // The bytes hashed for a 4-byte nonce varint: template, tag, varint.
  const bytes = new Uint8Array([...template, 0x58, 0x80, 0x80, 0x80, 0x01]);
  const hashes = 400_000;
  const rounds = 5;
  const ratios = { createHash: [] as number[], cryptoHash: [] as number[] };
  const last = { createHash: 0, cryptoHash: 0, search: 0 };
  // Interleaved rounds so load from other processes hits all three alike.
  for (let round = 0; round < rounds; round++) {
    last.createHash = rate(hashes, () => {
      for (let i = 0; i < hashes; i++) createHash('sha256').update(bytes).digest();
    });
    last.cryptoHash = rate(hashes, () => {
      for (let i = 0; i < hashes; i++) hash('sha256', bytes, 'buffer');
    });
    last.search = rate(hashes, () => searchNonces(template, 64, 1n << 21n, hashes));
    ratios.createHash.push(last.search / last.createHash);
    ratios.cryptoHash.push(last.search / last.cryptoHash);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
  const h = (value: number) => Math.round(value).toLocaleString('en');
  console.log(`header ${bytes.length} bytes; last round, hashes per CPU-second: searchNonces ${h(last.search)}, bare createHash loop ${h(last.createHash)}, bare crypto.hash loop ${h(last.cryptoHash)}`);
  console.log(
    `searchNonces / bare loop, median of ${rounds} interleaved rounds: vs createHash ${(median(ratios.createHash) * 100).toFixed(1)} %, vs crypto.hash (the same call) ${(median(ratios.cryptoHash) * 100).toFixed(1)} %`,
  );
}

async function measureSealer(label: string, sealer: PowSealer): Promise<number> {
  await sealer.seal(header(0), 8); // warm-up: thread/process start and module loading
  let hashes = 0;
  let elapsedMs = 0;
  const sealTimesMs: number[] = [];
  // CPU time of this process (all its threads; Bull's sandbox processes are not counted).
  const cpuBefore = process.cpuUsage();
  for (let i = 1; i <= SEALS; i++) {
    const result = await sealer.seal(header(i), BITS);
    hashes += result.hashes;
    elapsedMs += result.elapsedMs;
    sealTimesMs.push(result.elapsedMs);
  }
  const cpu = process.cpuUsage(cpuBefore);
  await sealer.close();
  const hashRate = hashes / (elapsedMs / 1000);
  const meanMs = elapsedMs / SEALS;
  const perCpuSecond = label.startsWith('local') ? `   ${Math.round(hashes / ((cpu.user + cpu.system) / 1e6)).toLocaleString('en')} H per CPU-second` : '';
  console.log(`${label.padEnd(20)} ${Math.round(hashRate).toLocaleString('en').padStart(10)} H/s   mean seal ${meanMs.toFixed(0).padStart(6)} ms${perCpuSecond}   (${SEALS} seals at ${BITS} bits, ${hashes.toLocaleString('en')} hashes)`);
  return hashRate;
}

console.log(describeMachine());
console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
searchVersusBareLoops();
const local1 = await measureSealer('local threads x1', new LocalPowSealer({ workers: 1 }));
const local2 = await measureSealer('local threads x2', new LocalPowSealer({ workers: 2 }));
console.log(`local speed-up 2 vs 1 worker: ${(local2 / local1).toFixed(2)}x`);
if (!process.argv.includes('--no-bull')) {
  const prefix = `accord-bench-${randomBytes(4).toString('hex')}`;
  const bull1 = await measureSealer('bull processes x1', new BullPowSealer({ redisUrl: REDIS_URL, prefix, processes: 1 }));
  const bull2 = await measureSealer('bull processes x2', new BullPowSealer({ redisUrl: REDIS_URL, prefix, processes: 2 }));
  console.log(`bull speed-up 2 vs 1 process: ${(bull2 / bull1).toFixed(2)}x`);
  const queue = new Bull(POW_SEAL_QUEUE, REDIS_URL, { prefix });
  await queue.obliterate({ force: true });
  await queue.close();
}
console.log(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
