import { createRequire } from 'node:module';
import { searchNonces } from './nonce-search.js';

/** One nonce range of a Bull seal, as a job carries it (JSON). */
export interface SealJobData {
  /** `sealTemplate` bytes, base64. */
  templateBase64: string;
  difficultyBits: number;
  /** First nonce of the range (decimal string: JSON has no 64-bit integers). */
  startNonce: string;
  /** Nonces in the range. */
  count: number;
  /** Redis key whose existence means "stop": set by the sealer on the first find or an abort. */
  stopKey: string;
  /** Redis holding the stop key (the one holding the queue). */
  redisUrl: string;
  /** Hashes between two looks at the stop key. */
  checkEveryHashes: number;
}

/** What a range job found and cost. */
export interface SealJobResult {
  /** The winning nonce (decimal), when the range held one. */
  nonce?: string;
  hashes: number;
  stopped: boolean;
}

interface StopKeyReader {
  exists(key: string): Promise<number>;
}

const readers = new Map<string, StopKeyReader>();

// ioredis comes with bull (which the queue itself uses); load it from bull's own dependencies.
function stopKeyReader(redisUrl: string): StopKeyReader {
  let reader = readers.get(redisUrl);
  if (!reader) {
    const bullRequire = createRequire(createRequire(import.meta.url).resolve('bull'));
    const Redis = bullRequire('ioredis') as new (url: string, options: object) => StopKeyReader;
    reader = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
    readers.set(redisUrl, reader);
  }
  return reader;
}

/**
 * Bull sandboxed-processor module of `BullPowSealer`: searches one nonce range with the same
 * `searchNonces` as the local threads, in slices, looking at the stop key between slices.
 */
export default async function sealJobProcessor(job: { data: SealJobData }): Promise<SealJobResult> {
  const { data } = job;
  const template = Uint8Array.from(Buffer.from(data.templateBase64, 'base64'));
  const reader = stopKeyReader(data.redisUrl);
  let next = BigInt(data.startNonce);
  let remaining = data.count;
  let hashes = 0;
  while (remaining > 0) {
    if ((await reader.exists(data.stopKey)) > 0) return { hashes, stopped: true };
    const slice = Math.min(remaining, data.checkEveryHashes);
    const result = searchNonces(template, data.difficultyBits, next, slice);
    hashes += result.hashes;
    if (result.found) return { nonce: result.found.nonce.toString(), hashes, stopped: false };
    next += BigInt(slice);
    remaining -= slice;
  }
  return { hashes, stopped: false };
}
