import { describe, expect, it } from 'vitest';
import { blockHash, buildBlock, ChainErrorCode, checkBlockStructure, meetsDifficulty, verifyPowSeal, type BlockHeader } from '#chain';
import { genesisBlock, genesisState, testAccount, testGenesis, transfer } from '../../../../test/support/chain-fixtures.js';
import { chainRulesOf } from '#chain';

const BITS = 10;
const genesis = testGenesis({ members: 2, overrides: { powDifficultyBits: BITS } });

function sealByBruteForce(header: BlockHeader): BlockHeader {
  for (let nonce = 0n; ; nonce++) {
    const candidate = { ...header, powNonce: nonce };
    if (meetsDifficulty(blockHash(candidate), BITS)) return candidate;
  }
}

describe('proof-of-work seals, as every validator checks them', () => {
  const parent = genesisBlock(genesis).header;
  const built = buildBlock(genesisState(genesis), [transfer(testAccount('member-0'), testAccount('member-1'), 5n, 0n)], { parent, timestampMs: 1n, proposer: 'v1', powDifficultyBits: BITS, maxTxs: 10 }, { rules: chainRulesOf(genesis) });
  const sealed = { ...built.block, header: sealByBruteForce(built.block.header) };

  it('accepts a valid seal', () => {
    expect(verifyPowSeal(sealed.header, BITS)).toBe(true);
    expect(() => checkBlockStructure(sealed, parent, genesis.chainId, BITS)).not.toThrow();
  });

  it('rejects a wrong nonce, a wrong difficulty and a header tampered after sealing', () => {
    let wrongNonce = sealed.header.powNonce + 1n;
    while (meetsDifficulty(blockHash({ ...sealed.header, powNonce: wrongNonce }), BITS)) wrongNonce++;
    const cases: BlockHeader[] = [
      { ...sealed.header, powNonce: wrongNonce },
      { ...sealed.header, powDifficultyBits: BITS - 1 },
      { ...sealed.header, powDifficultyBits: 0, powNonce: 0n },
    ];
    for (const header of cases) {
      expect(() => checkBlockStructure({ ...sealed, header }, parent, genesis.chainId, BITS)).toThrowError(expect.objectContaining({ code: ChainErrorCode.BAD_POW }));
    }
    // Tampering with any sealed field changes the hash: the seal no longer meets the target
    // (or the state/tx root checks fail first), so some field always gives the block away.
    let tamperedTimestamp = sealed.header.timestampMs + 1n;
    while (meetsDifficulty(blockHash({ ...sealed.header, timestampMs: tamperedTimestamp }), BITS)) tamperedTimestamp++;
    expect(() => checkBlockStructure({ ...sealed, header: { ...sealed.header, timestampMs: tamperedTimestamp } }, parent, genesis.chainId, BITS)).toThrowError(
      expect.objectContaining({ code: ChainErrorCode.BAD_POW }),
    );
  });

  it('with proof of work off, a block must carry no seal', () => {
    expect(verifyPowSeal({ ...sealed.header, powDifficultyBits: 0, powNonce: 0n }, 0)).toBe(true);
    expect(verifyPowSeal({ ...sealed.header, powDifficultyBits: 0, powNonce: 7n }, 0)).toBe(false);
  });
});
