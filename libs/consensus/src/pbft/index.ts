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
