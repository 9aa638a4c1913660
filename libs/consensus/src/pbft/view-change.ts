import { checkCheckpointProof, checkPreparedCertificate, type CertificateVerdict, type PbftVerificationContext } from './certificates.js';
import { bytesEqual, primaryOf } from './quorum.js';
import { pbftSigningBytes } from './signing.js';
import type { CheckpointMessage, NewViewMessage, PreparedCertificate, ViewChangeMessage, ValidatorId } from './types.js';

/** A block the new primary must propose again in the new view. */
export interface Reproposal {
  readonly height: number;
  readonly digest: Uint8Array;
  readonly block: Uint8Array;
}

/** What a quorum of view-changes determines about the new view. */
export interface NewViewPlan {
  /** The highest stable checkpoint among the view-changes; the new view starts above it. */
  readonly stableHeight: number;
  readonly stableProof: readonly CheckpointMessage[];
  /** Blocks to re-propose, at consecutive heights from `stableHeight + 1`. */
  readonly reproposals: readonly Reproposal[];
}

/**
 * Checks a view-change message: signature, stable-checkpoint proof, and each prepared
 * certificate (valid, above the stable checkpoint, from an earlier view, one per height, at
 * most `maxCertificates` of them).
 */
export function checkViewChange(context: PbftVerificationContext, vc: ViewChangeMessage, maxCertificates: number): CertificateVerdict {
  if (!context.validators.includes(vc.sender)) return { ok: false, code: 'PBFT_VC_UNKNOWN_VALIDATOR' };
  if (!context.authenticator.verify(vc.sender, pbftSigningBytes(context.chainId, vc), vc.signature)) {
    return { ok: false, code: 'PBFT_VC_BAD_SIGNATURE' };
  }
  const proof = checkCheckpointProof(context, vc.stableHeight, vc.checkpointProof);
  if (!proof.ok) return { ok: false, code: 'PBFT_VC_BAD_CHECKPOINT_PROOF' };
  if (vc.prepared.length > maxCertificates) return { ok: false, code: 'PBFT_VC_TOO_MANY_CERTIFICATES' };
  const heights = new Set<number>();
  for (const cert of vc.prepared) {
    const { height, view } = cert.prePrepare;
    if (height <= vc.stableHeight || view >= vc.view || heights.has(height)) return { ok: false, code: 'PBFT_VC_BAD_CERTIFICATE' };
    heights.add(height);
    if (!checkPreparedCertificate(context, cert).ok) return { ok: false, code: 'PBFT_VC_BAD_CERTIFICATE' };
  }
  return { ok: true };
}

/**
 * Derives the new view from a set of (already checked) view-changes, deterministically, so that
 * the new primary and every replica compute the same plan: start above the highest stable
 * checkpoint, and for each following height re-propose the block of the highest-view prepared
 * certificate, stopping at the first height nobody prepared. A block committed anywhere was
 * prepared by a quorum, and any view-change quorum contains one of those replicas, so it is
 * always re-proposed and never replaced.
 */
export function computeNewViewPlan(viewChanges: readonly ViewChangeMessage[]): NewViewPlan {
  let stable: ViewChangeMessage | undefined;
  for (const vc of viewChanges) if (stable === undefined || vc.stableHeight > stable.stableHeight) stable = vc;
  const stableHeight = stable?.stableHeight ?? 0;
  const best = new Map<number, PreparedCertificate>();
  for (const vc of viewChanges) {
    for (const cert of vc.prepared) {
      const current = best.get(cert.prePrepare.height);
      if (current === undefined || cert.prePrepare.view > current.prePrepare.view) best.set(cert.prePrepare.height, cert);
    }
  }
  const reproposals: Reproposal[] = [];
  for (let height = stableHeight + 1; best.has(height); height++) {
    const { digest, block } = (best.get(height) as PreparedCertificate).prePrepare;
    reproposals.push({ height, digest, block });
  }
  return { stableHeight, stableProof: stable?.checkpointProof ?? [], reproposals };
}

/**
 * Checks a NEW-VIEW: sent and signed by the primary of its view, justified by a quorum of valid
 * view-changes for that view from distinct validators, and carrying exactly the re-proposals
 * `computeNewViewPlan` derives from them, each signed by the new primary. Returns the plan.
 */
export function checkNewView(
  context: PbftVerificationContext,
  nv: NewViewMessage,
  maxCertificates: number,
): { readonly ok: true; readonly plan: NewViewPlan } | { readonly ok: false; readonly code: string } {
  const primary = primaryOf(context.validators, nv.view);
  if (nv.sender !== primary) return { ok: false, code: 'PBFT_NV_NOT_PRIMARY' };
  if (!context.authenticator.verify(nv.sender, pbftSigningBytes(context.chainId, nv), nv.signature)) {
    return { ok: false, code: 'PBFT_NV_BAD_SIGNATURE' };
  }
  const senders = new Set<ValidatorId>();
  for (const vc of nv.viewChanges) {
    if (vc.view !== nv.view || senders.has(vc.sender)) return { ok: false, code: 'PBFT_NV_BAD_VIEW_CHANGE' };
    if (!checkViewChange(context, vc, maxCertificates).ok) return { ok: false, code: 'PBFT_NV_BAD_VIEW_CHANGE' };
    senders.add(vc.sender);
  }
  if (senders.size < context.quorum) return { ok: false, code: 'PBFT_NV_INSUFFICIENT' };
  const plan = computeNewViewPlan(nv.viewChanges);
  if (plan.reproposals.length !== nv.prePrepares.length) return { ok: false, code: 'PBFT_NV_WRONG_REPROPOSALS' };
  for (let i = 0; i < plan.reproposals.length; i++) {
    const expected = plan.reproposals[i];
    const pp = nv.prePrepares[i];
    const matches =
      pp.view === nv.view &&
      pp.sender === primary &&
      pp.height === expected.height &&
      bytesEqual(pp.digest, expected.digest) &&
      bytesEqual(pp.block, expected.block);
    if (!matches) return { ok: false, code: 'PBFT_NV_WRONG_REPROPOSALS' };
    if (!context.authenticator.verify(pp.sender, pbftSigningBytes(context.chainId, pp), pp.signature)) {
      return { ok: false, code: 'PBFT_NV_BAD_SIGNATURE' };
    }
  }
  return { ok: true, plan };
}
