import { BullTxVerifier, InlineTxVerifier, TX_VERIFY_QUEUE } from '#mempool';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHAIN_ID } from '../support/chain-fixtures.js';
import { obliterateQueue, requireRedis, TEST_REDIS_URL, uniquePrefix } from './support/redis.js';
import { buildTxCorpus } from './support/tx-mix.js';

function fixtureUrl(name: string): string {
  return new URL(`./fixtures/${name}`, import.meta.url).href;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('BullTxVerifier under faults', () => {
  const corpus = buildTxCorpus(40);
  // 3 jobs of 256 + 1 of 32: valid and invalid transactions interleaved.
  const batch = Array.from({ length: 800 }, (_, i) => {
    const kinds = [corpus.valid, corpus['bad-signature'], corpus['high-s'], corpus['wrong-chain']];
    const pool = kinds[i % kinds.length];
    return pool[Math.floor(i / kinds.length) % pool.length];
  });
  const opened: Array<{ verifier: BullTxVerifier; prefix: string }> = [];
  let expected: Awaited<ReturnType<InlineTxVerifier['verifyBatch']>>;

  function open(processorFile: string, extra: Partial<ConstructorParameters<typeof BullTxVerifier>[0]> = {}): BullTxVerifier {
    const prefix = uniquePrefix('verify-faults');
    const verifier = new BullTxVerifier({
      chainId: CHAIN_ID,
      redisUrl: TEST_REDIS_URL,
      prefix,
      processes: 2,
      txsPerJob: 256,
      attempts: 3,
      backoffMs: 20,
      processorModuleUrl: fixtureUrl(processorFile),
      ...extra,
    });
    opened.push({ verifier, prefix });
    return verifier;
  }

  beforeAll(async () => {
    await requireRedis();
    expected = await new InlineTxVerifier({ chainId: CHAIN_ID }).verifyBatch(batch);
  });

  afterEach(async () => {
    for (const { verifier, prefix } of opened.splice(0)) {
      await verifier.close();
      await obliterateQueue(TX_VERIFY_QUEUE, prefix);
    }
  });

  it('retries a job whose sandbox process is SIGKILLed mid-job; every verdict arrives exactly once', async () => {
    const verifier = open('crash-once-processor.ts');
    const killed: number[] = [];
    const completedJobIds: string[] = [];
    verifier.queue.on('global:progress', (_jobId: string, progress: { pid: number }) => {
      killed.push(progress.pid);
      process.kill(progress.pid, 'SIGKILL');
    });
    verifier.queue.on('completed', (job) => completedJobIds.push(String(job.id)));

    const results = await verifier.verifyBatch(batch);

    expect(results).toEqual(expected);
    // Every job's first attempt was killed and each job completed exactly once afterwards.
    expect(killed).toHaveLength(4);
    expect(killed.some(isAlive)).toBe(false);
    expect(completedJobIds).toHaveLength(4);
    expect(new Set(completedJobIds).size).toBe(4);
    expect(verifier.resultMismatches).toBe(0);
  });

  it('never trusts a result that does not match its batch: the batch is resubmitted', async () => {
    const verifier = open('corrupting-processor.ts');
    const results = await verifier.verifyBatch(batch);
    expect(results).toEqual(expected);
    expect(verifier.resultMismatches).toBe(4);
  });

  it('computes a batch locally when every round returns a mismatching result', async () => {
    const verifier = open('always-corrupting-processor.ts', { maxResultMismatches: 1 });
    const results = await verifier.verifyBatch(batch);
    expect(results).toEqual(expected);
    expect(verifier.resultMismatches).toBe(8);
  });
});
