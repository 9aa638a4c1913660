import { blockHash, decodeBlock, encodeBlock, type TxLimits } from '#chain';
import { AccordError } from '#common';
import { signPbftMessage } from '../pbft/signing.js';
import type { PbftAuthenticator, PrePrepareMessage } from '../pbft/types.js';

/**
 * Test-only Byzantine behaviour: an equivocating primary. For each of its pre-prepares it builds
 * a second, equally valid block (same transactions, timestamp one millisecond later, so another
 * digest) and signs a pre-prepare for it too. Returns, per peer, the pre-prepare that peer gets:
 * the first peer the genuine one, every other peer the twin, so that no digest can gather a
 * quorum in this view and the honest replicas must change views.
 */
export function equivocatingPrePrepares(
  chainId: string,
  prePrepare: PrePrepareMessage,
  peers: readonly string[],
  authenticator: PbftAuthenticator,
  txLimits: TxLimits,
): Map<string, PrePrepareMessage> {
  const block = decodeBlock(prePrepare.block, txLimits);
  const header = { ...block.header, timestampMs: block.header.timestampMs + 1n };
  const twin = signPbftMessage<PrePrepareMessage>(
    chainId,
    { type: 'pre-prepare', view: prePrepare.view, height: prePrepare.height, digest: blockHash(header), block: encodeBlock({ header, txs: block.txs }), sender: prePrepare.sender },
    authenticator,
  );
  const sorted = [...peers].sort();
  return new Map(sorted.map((peer, i) => [peer, i === 0 ? prePrepare : twin]));
}

/**
 * The test-only Byzantine mode asked for by `ACCORD_TEST_BYZANTINE` (only `equivocate`), refused
 * with `CONFIG_INVALID` unless `NODE_ENV` is `test`: a production validator never misbehaves.
 */
export function testByzantineModeFrom(env: NodeJS.ProcessEnv): 'equivocate' | undefined {
  const mode = env.ACCORD_TEST_BYZANTINE;
  if (!mode) return undefined;
  if (env.NODE_ENV !== 'test') throw new AccordError('CONFIG_INVALID', 'ACCORD_TEST_BYZANTINE is for tests only (NODE_ENV=test)');
  if (mode !== 'equivocate') throw new AccordError('CONFIG_INVALID', `unknown ACCORD_TEST_BYZANTINE mode '${mode}'`);
  return mode;
}
