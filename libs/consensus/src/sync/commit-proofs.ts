import { blockHash, type BlockHeader, type ConsensusType } from '#chain';
import { verifyCommitCertificate } from '../pbft/certificates.js';
import { decodeCommitCertificate } from '../pbft-driver/commit-certificate-codec.js';
import type { CommitProofCheck } from './block-checks.js';
import { verifyLeaderCertificate, type ConsensusValidator, type ProofVerdict, type ValidatorsProvider } from './leader-signature.js';

/** A PBFT block's commit certificate: 2f+1 COMMITs of `validators` for its height and hash. */
export function verifyPbftCertificate(chainId: string, header: BlockHeader, certificate: Uint8Array | undefined, validators: readonly ConsensusValidator[]): ProofVerdict {
  let commits;
  try {
    commits = decodeCommitCertificate(certificate ?? new Uint8Array(0));
  } catch {
    return { ok: false, code: 'PBFT_CERT_DECODE' };
  }
  return verifyCommitCertificate({
    chainId,
    height: Number(header.height),
    blockDigest: blockHash(header),
    certificate: commits,
    validators: validators.map((v) => ({ id: v.nodeId, consensusPublicKey: v.consensusPublicKey })),
  });
}

/**
 * How block sync checks that a fetched block was committed: a PBFT commit certificate, or a
 * Raft leader signature, against the validators in force at the ledger head.
 */
export function commitProofCheck(type: ConsensusType, chainId: string, validatorsAt: ValidatorsProvider): CommitProofCheck {
  if (type === 'pbft') return (block, certificate) => verifyPbftCertificate(chainId, block.header, certificate, validatorsAt());
  if (type === 'raft') return (block, certificate) => verifyLeaderCertificate(chainId, block.header, certificate, validatorsAt());
  return () => ({ ok: false, code: 'SYNC_NO_COMMIT_PROOF' });
}
