import { describe, expect, it } from 'vitest';
import { CHAIN_ID, testAccount, transfer } from '../../../../test/support/chain-fixtures.js';
import { createTxVerifier } from './factory.js';
import { LocalTxVerifier } from './local-verifier.js';

describe('createTxVerifier', () => {
  const tx = transfer(testAccount('factory-a'), testAccount('factory-b'), 3n, 1n);

  it('verifies inline when asked for no workers and no Redis', async () => {
    const verifier = createTxVerifier({ chainId: CHAIN_ID, workers: 0 });
    expect(verifier.kind).toBe('inline');
    expect(await verifier.verifyBatch([tx.bytes])).toEqual([{ ok: true, hashHex: tx.hashHex }]);
    await verifier.close();
  });

  it('embeds a worker-thread pool when no Redis URL is configured', async () => {
    const verifier = createTxVerifier({ chainId: CHAIN_ID, workers: 2 });
    try {
      expect(verifier).toBeInstanceOf(LocalTxVerifier);
      expect((verifier as LocalTxVerifier).workers).toBe(2);
      const batch = Array.from({ length: 100 }, () => tx.bytes);
      const results = await verifier.verifyBatch(batch);
      expect(results).toHaveLength(100);
      expect(results.every((result) => result.ok && result.hashHex === tx.hashHex)).toBe(true);
    } finally {
      await verifier.close();
    }
    await expect(verifier.verifyBatch([tx.bytes])).rejects.toMatchObject({ code: 'POOL_CLOSED' });
  });
});
