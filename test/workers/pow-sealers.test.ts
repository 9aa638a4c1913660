import { sha256, verifyPowSeal, type BlockHeader } from '#chain';
import { BullPowSealer, LocalPowSealer, POW_SEAL_QUEUE, type PowSealer } from '#consensus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { obliterateQueue, requireRedis, TEST_REDIS_URL, uniquePrefix } from './support/redis.js';

function header(height: bigint): BlockHeader {
  return {
    chainId: 'accord-test',
    height,
    prevHash: sha256(Uint8Array.of(Number(height & 0xffn))),
    timestampMs: 1_767_225_600_000n + height * 1000n,
    txRoot: sha256(Uint8Array.of(2)),
    stateRoot: sha256(Uint8Array.of(3)),
    proposer: 'validator-1',
    consensusData: new Uint8Array(),
    txCount: 0,
    powDifficultyBits: 0,
    powNonce: 0n,
  };
}

// Ranges far larger than any search here: a worker that did not stop when another found the
// seal (or on abort) would add a whole range to the hash count and hold the seal for seconds.
const HUGE_RANGE = 1 << 26;

async function expectValidSeal(sealer: PowSealer, height: bigint, bits: number): Promise<number> {
  const unsealed = header(height);
  const result = await sealer.seal(unsealed, bits);
  const sealed = { ...unsealed, powDifficultyBits: bits, powNonce: result.nonce };
  expect(verifyPowSeal(sealed, bits)).toBe(true);
  expect(verifyPowSeal({ ...sealed, powNonce: result.nonce + 1n }, bits)).toBe(false);
  expect(verifyPowSeal({ ...sealed, height: height + 1n }, bits)).toBe(false);
  expect(result.hashes).toBeGreaterThan(0);
  expect(result.hashes).toBeLessThan(HUGE_RANGE);
  return result.hashes;
}

async function expectAbortStops(sealer: PowSealer): Promise<void> {
  const controller = new AbortController();
  const sealing = sealer.seal(header(99n), 60, controller.signal);
  setTimeout(() => controller.abort(), 300);
  await expect(sealing).rejects.toMatchObject({ code: 'POW_ABORTED' });
  // The workers are free again: a quick seal completes instead of waiting behind the abort.
  await expectValidSeal(sealer, 100n, 6);
}

describe('LocalPowSealer', () => {
  let sealer: LocalPowSealer;

  beforeAll(() => {
    sealer = new LocalPowSealer({ workers: 2, chunkSize: HUGE_RANGE });
  });

  afterAll(async () => {
    await sealer?.close();
  });

  it('finds seals that verify, and the first find stops the other thread', async () => {
    for (const [height, bits] of [[1n, 8], [2n, 14], [3n, 16]] as const) await expectValidSeal(sealer, height, bits);
  });

  it('aborts all threads through the shared stop flag', async () => {
    await expectAbortStops(sealer);
  });

  it('fails a seal in progress when closed, then refuses new seals', async () => {
    const closing = new LocalPowSealer({ workers: 2 });
    await expectValidSeal(closing, 5n, 8);
    const sealing = closing.seal(header(6n), 60);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await closing.close();
    await expect(sealing).rejects.toMatchObject({ code: 'POW_SEALER_CLOSED' });
    await expect(closing.seal(header(7n), 4)).rejects.toMatchObject({ code: 'POW_SEALER_CLOSED' });
  });

  it('rejects a difficulty it cannot seal', async () => {
    await expect(sealer.seal(header(1n), 0)).rejects.toMatchObject({ code: 'POW_BAD_DIFFICULTY' });
    await expect(sealer.seal(header(1n), 2.5)).rejects.toMatchObject({ code: 'POW_BAD_DIFFICULTY' });
  });
});

describe('BullPowSealer', () => {
  const prefix = uniquePrefix('pow');
  let sealer: BullPowSealer;

  beforeAll(async () => {
    await requireRedis();
    sealer = new BullPowSealer({ redisUrl: TEST_REDIS_URL, prefix, processes: 2, rangeSize: HUGE_RANGE, checkEveryHashes: 4096 });
  });

  afterAll(async () => {
    await sealer?.close();
    await obliterateQueue(POW_SEAL_QUEUE, prefix);
  });

  async function expectQueueIdle(): Promise<void> {
    const counts = await sealer.queue.getJobCounts();
    expect(counts).toMatchObject({ active: 0, waiting: 0, delayed: 0 });
  }

  it('finds seals that verify; the stop key halts the other range and queued ranges are removed', async () => {
    for (const [height, bits] of [[1n, 8], [2n, 14]] as const) {
      await expectValidSeal(sealer, height, bits);
      await expectQueueIdle();
    }
  });

  it('aborts running range jobs through the stop key', async () => {
    await expectAbortStops(sealer);
    await expectQueueIdle();
  });
});
