import { BullTxVerifier, InlineTxVerifier, LocalTxVerifier, TX_VERIFY_QUEUE, type TxVerifier } from '#mempool';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAIN_ID } from '../support/chain-fixtures.js';
import { obliterateQueue, requireRedis, TEST_REDIS_URL, uniquePrefix } from './support/redis.js';
import { buildTxCorpus, EXPECTED_CODE, mixedTxs } from './support/tx-mix.js';

describe('TxVerifier implementations agree', () => {
  const corpus = buildTxCorpus(24);
  const prefix = uniquePrefix('verify');
  let inline: TxVerifier;
  let local: LocalTxVerifier;
  let bull: BullTxVerifier;

  beforeAll(async () => {
    await requireRedis();
    inline = new InlineTxVerifier({ chainId: CHAIN_ID });
    local = new LocalTxVerifier({ chainId: CHAIN_ID, workers: 2, minTxsPerTask: 8 });
    bull = new BullTxVerifier({ chainId: CHAIN_ID, redisUrl: TEST_REDIS_URL, prefix, processes: 2, txsPerJob: 256 });
  });

  afterAll(async () => {
    await Promise.all([local?.close(), bull?.close()]);
    await obliterateQueue(TX_VERIFY_QUEUE, prefix);
  });

  it('gives every kind of transaction its verdict, in input order', async () => {
    const inputs = [...corpus.valid.slice(0, 3), ...corpus['bad-signature'].slice(0, 3), ...corpus['high-s'].slice(0, 3), ...corpus['wrong-chain'].slice(0, 3), Uint8Array.of(0xff, 0x01)];
    const results = await bull.verifyBatch(inputs);
    expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual([
      ...Array(3).fill('ok'),
      ...Array(6).fill('BAD_SIGNATURE'),
      ...Array(3).fill('WRONG_CHAIN_ID'),
      'MALFORMED_TX',
    ]);
    expect(bull.resultMismatches).toBe(0);
  });

  it('inline, local worker threads and Bull give identical verdicts on random mixes', async () => {
    let largestBatch = 0;
    await fc.assert(
      fc.asyncProperty(mixedTxs(corpus, 600), async (mix) => {
        largestBatch = Math.max(largestBatch, mix.length);
        const bytes = mix.map((tx) => tx.bytes);
        const [expected, fromLocal, fromBull] = await Promise.all([inline.verifyBatch(bytes), local.verifyBatch(bytes), bull.verifyBatch(bytes)]);
        expect(fromLocal).toEqual(expected);
        expect(fromBull).toEqual(expected);
        mix.forEach((tx, i) => {
          const verdict = expected[i];
          if (tx.kind === 'garbage') return expect(verdict.ok).toBe(false);
          const code = EXPECTED_CODE[tx.kind];
          expect(verdict.ok ? undefined : verdict.code).toBe(code);
        });
      }),
      { numRuns: 12, seed: 20261124 },
    );
    // Batches larger than one job (256) were split across several Bull jobs and reassembled.
    expect(largestBatch).toBeGreaterThan(512);
  });
});
