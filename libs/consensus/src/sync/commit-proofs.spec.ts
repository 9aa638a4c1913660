import { describe, expect, it } from 'vitest';
import { blockHash, encodeBlock, merkleRoot, type BlockHeader } from '#chain';
import { CHAIN_ID, testAccount } from '../../../../test/support/chain-fixtures.js';
import { NativeSecp256k1Authenticator } from '../pbft-driver/native-authenticator.js';
import { encodeCommitCertificate } from '../pbft-driver/commit-certificate-codec.js';
import { signPbftMessage } from '../pbft/signing.js';
import type { CommitMessage } from '../pbft/types.js';
import { decodeRaftBlockEntry, encodeRaftBlockEntry } from '../raft-driver/block-entry.js';
import { commitProofCheck } from './commit-proofs.js';
import { decodeLeaderSignature, encodeLeaderSignature, leaderSigningDigest, signBlockAsLeader, verifyLeaderCertificate } from './leader-signature.js';

const keys = [1, 2, 3, 4].map((i) => testAccount(`consensus-validator-${i}`));
const validators = keys.map((k, i) => ({ nodeId: `validator-${i + 1}`, consensusPublicKey: k.publicKey }));
const header: BlockHeader = {
  chainId: CHAIN_ID,
  height: 5n,
  prevHash: new Uint8Array(32).fill(1),
  timestampMs: 1_700_000_000_000n,
  txRoot: merkleRoot([]),
  stateRoot: new Uint8Array(32).fill(2),
  proposer: 'validator-2',
  consensusData: new Uint8Array(0),
  txCount: 0,
  powDifficultyBits: 0,
  powNonce: 0n,
};
const leaderCertificate = encodeLeaderSignature(signBlockAsLeader(CHAIN_ID, header, 'validator-2', keys[1].privateKey));

describe('Raft leader signatures', () => {
  it('verify for the proposer with its consensus key, and round-trip their encoding', () => {
    expect(verifyLeaderCertificate(CHAIN_ID, header, leaderCertificate, validators)).toEqual({ ok: true });
    expect(decodeLeaderSignature(leaderCertificate).signer).toBe('validator-2');
  });

  it('refuse another signer, another key, another block, another chain, and missing or garbled proofs', () => {
    const byOther = encodeLeaderSignature(signBlockAsLeader(CHAIN_ID, header, 'validator-3', keys[2].privateKey));
    const wrongKey = encodeLeaderSignature(signBlockAsLeader(CHAIN_ID, header, 'validator-2', testAccount('outsider').privateKey));
    const cases: Array<[BlockHeader, Uint8Array | undefined, string]> = [
      [header, byOther, 'RAFT_SIGNER_NOT_PROPOSER'],
      [header, wrongKey, 'RAFT_BAD_SIGNATURE'],
      [{ ...header, stateRoot: new Uint8Array(32).fill(3) }, leaderCertificate, 'RAFT_BAD_SIGNATURE'],
      [{ ...header, proposer: 'stranger' }, encodeLeaderSignature(signBlockAsLeader(CHAIN_ID, { ...header, proposer: 'stranger' }, 'stranger', keys[0].privateKey)), 'RAFT_SIGNER_UNKNOWN'],
      [header, undefined, 'RAFT_SIGNATURE_MISSING'],
      [header, Uint8Array.of(9, 9, 9), 'RAFT_SIGNATURE_DECODE'],
    ];
    for (const [h, certificate, code] of cases) expect(verifyLeaderCertificate(CHAIN_ID, h, certificate, validators)).toEqual({ ok: false, code });
    const otherChain = encodeLeaderSignature(signBlockAsLeader('other-chain', header, 'validator-2', keys[1].privateKey));
    expect(verifyLeaderCertificate(CHAIN_ID, header, otherChain, validators).ok).toBe(false);
    // Domain separation: the digest is not the bare block hash.
    expect(leaderSigningDigest(CHAIN_ID, blockHash(header))).not.toEqual(blockHash(header));
  });

  it('travel with the block in the Raft entry; a bare block (older entries) still decodes', () => {
    const block = encodeBlock({ header, txs: [] });
    expect(decodeRaftBlockEntry(encodeRaftBlockEntry({ block, leaderSignature: leaderCertificate }))).toEqual({ block, leaderSignature: leaderCertificate });
    expect(decodeRaftBlockEntry(block)).toEqual({ block });
  });
});

describe('commitProofCheck', () => {
  const pbft = commitProofCheck('pbft', CHAIN_ID, () => validators);
  const genesisKeys = validators.map((v, i) => ({ nodeId: v.nodeId, consensusPublicKey: keys[i].publicKeyHex }));
  const commit = (signer: number, height = 5): CommitMessage =>
    signPbftMessage<CommitMessage>(CHAIN_ID, { type: 'commit', view: 0, height, digest: blockHash(header), sender: `validator-${signer + 1}` }, new NativeSecp256k1Authenticator(keys[signer].privateKey, genesisKeys));
  const block = { header, txs: [] };

  it('PBFT: accepts 2f+1 COMMITs for the block, refuses fewer, mismatched or undecodable certificates', () => {
    expect(pbft(block, encodeCommitCertificate([commit(0), commit(1), commit(3)]))).toEqual({ ok: true });
    expect(pbft(block, encodeCommitCertificate([commit(0), commit(1)]))).toEqual({ ok: false, code: 'PBFT_CERT_INSUFFICIENT' });
    expect(pbft(block, encodeCommitCertificate([commit(0), commit(1), commit(2, 6)]))).toEqual({ ok: false, code: 'PBFT_CERT_MISMATCH' });
    expect(pbft(block, leaderCertificate)).toEqual({ ok: false, code: 'PBFT_CERT_DECODE' });
  });

  it('Raft: checks the leader signature; a PBFT certificate is not one', () => {
    const raft = commitProofCheck('raft', CHAIN_ID, () => validators);
    expect(raft(block, leaderCertificate)).toEqual({ ok: true });
    expect(raft(block, encodeCommitCertificate([commit(0), commit(1), commit(3)])).ok).toBe(false);
  });
});
