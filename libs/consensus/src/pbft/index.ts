/**
 * PBFT consensus (Castro & Liskov, OSDI '99) for Accord's BFT validator sets.
 *
 * - `PbftReplica`: the pure state machine, one consensus instance per block height (window of
 *   one: height h+1 is validated once h is committed). Inputs: `tick`, `step`/`stepBytes`,
 *   `propose` (when `readyToPropose()`), `deliverSyncedBlock`. Output: `PbftReady` batches with
 *   messages to broadcast, state to persist first, committed blocks with commit certificates,
 *   and `needSyncHeight` when the replica fell behind.
 * - `encodePbftMessage`/`decodePbftMessage`: canonical protobuf wire format for the p2p link.
 * - `pbftSigningBytes`: domain-separated bytes every consensus signature covers.
 * - `verifyCommitCertificate`: offline check of a block's 2f+1 COMMIT signatures (secp256k1).
 * - `encodePbftPersistentState`/`decodePbftPersistentState`: storage format of persisted state.
 */
export * from './types.js';
export { maxFaulty, quorumSize, primaryOf } from './quorum.js';
export { encodePbftMessage, decodePbftMessage, MAX_DIGEST_BYTES, MAX_SENDER_BYTES, type PbftDecodeResult } from './codec.js';
export {
  pbftSigningBytes,
  signingBytesOf,
  signPbftMessage,
  verifyPbftSignature,
  SIGNING_TYPE_CODE,
  type SigningFields,
  type UnsignedPbftMessage,
} from './signing.js';
export { Secp256k1Authenticator, verifySecp256k1 } from './secp256k1-authenticator.js';
export {
  verifyCommitCertificate,
  checkCommitCertificate,
  checkPreparedCertificate,
  checkCheckpointProof,
  commitSigningBytes,
  type CertificateVerdict,
  type CommitCertificateInput,
  type PbftVerificationContext,
} from './certificates.js';
export { checkViewChange, checkNewView, computeNewViewPlan, type NewViewPlan, type Reproposal } from './view-change.js';
export * from './replica-types.js';
export { PbftReplica } from './replica.js';
export { encodePbftPersistentState, decodePbftPersistentState } from './state-codec.js';
