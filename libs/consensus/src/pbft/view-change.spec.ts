import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import type { PbftVerificationContext } from './certificates.js';
import { primaryOf } from './quorum.js';
import { signPbftMessage } from './signing.js';
import { HmacKeyring, testBlock } from './testing.js';
import type { CheckpointMessage, PrePrepareMessage, PrepareMessage, PreparedCertificate, ViewChangeMessage } from './types.js';
import { checkViewChange, computeNewViewPlan } from './view-change.js';

const ids = ['n0', 'n1', 'n2', 'n3'];
const keyring = new HmacKeyring(ids);
const context: PbftVerificationContext = { chainId: 'test-chain', validators: ids, quorum: 3, authenticator: keyring, blockDigest: sha256 };
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

function preparedCertificate(view: number, height: number, tag: string, block = testBlock(height, tag)): PreparedCertificate {
  const primary = primaryOf(ids, view);
  const prePrepare = signPbftMessage<PrePrepareMessage>(
    'test-chain',
    { type: 'pre-prepare', view, height, digest: sha256(testBlock(height, tag)), block, sender: primary },
    keyring.authenticatorFor(primary),
  );
  const prepares = ids
    .filter((id) => id !== primary)
    .slice(0, 2)
    .map((id) =>
      signPbftMessage<PrepareMessage>('test-chain', { type: 'prepare', view, height, digest: prePrepare.digest, sender: id }, keyring.authenticatorFor(id)),
    );
  return { prePrepare, prepares };
}

function checkpointProof(height: number): CheckpointMessage[] {
  const digest = sha256(testBlock(height, 'cp'));
  return ids
    .slice(0, 3)
    .map((id) => signPbftMessage<CheckpointMessage>('test-chain', { type: 'checkpoint', height, digest, sender: id }, keyring.authenticatorFor(id)));
}

function viewChange(sender: string, view: number, prepared: PreparedCertificate[], stableHeight = 0): ViewChangeMessage {
  return signPbftMessage<ViewChangeMessage>(
    'test-chain',
    { type: 'view-change', view, stableHeight, checkpointProof: stableHeight === 0 ? [] : checkpointProof(stableHeight), prepared, sender },
    keyring.authenticatorFor(sender),
  );
}

describe('view-change validation', () => {
  it('accepts a view-change with valid prepared certificates above its stable checkpoint', () => {
    expect(checkViewChange(context, viewChange('n1', 3, [preparedCertificate(1, 5, 'a'), preparedCertificate(2, 6, 'b')], 4), 10)).toEqual({ ok: true });
  });

  it('rejects certificates that are forged, misplaced or too many', () => {
    const short = { ...preparedCertificate(1, 5, 'a'), prepares: preparedCertificate(1, 5, 'a').prepares.slice(0, 1) };
    const swappedBlock = preparedCertificate(1, 5, 'a', testBlock(5, 'swapped'));
    const cases: [ViewChangeMessage, number, string][] = [
      [viewChange('n1', 3, [short]), 10, 'PBFT_VC_BAD_CERTIFICATE'],
      [viewChange('n1', 3, [swappedBlock]), 10, 'PBFT_VC_BAD_CERTIFICATE'],
      [viewChange('n1', 3, [preparedCertificate(3, 5, 'a')]), 10, 'PBFT_VC_BAD_CERTIFICATE'],
      [viewChange('n1', 3, [preparedCertificate(1, 4, 'a')], 4), 10, 'PBFT_VC_BAD_CERTIFICATE'],
      [viewChange('n1', 3, [preparedCertificate(1, 5, 'a'), preparedCertificate(2, 5, 'b')]), 10, 'PBFT_VC_BAD_CERTIFICATE'],
      [viewChange('n1', 3, [preparedCertificate(1, 5, 'a'), preparedCertificate(1, 6, 'b')]), 1, 'PBFT_VC_TOO_MANY_CERTIFICATES'],
      [{ ...viewChange('n1', 3, [], 4), checkpointProof: checkpointProof(4).slice(0, 2) }, 10, 'PBFT_VC_BAD_SIGNATURE'],
      [signPbftMessage<ViewChangeMessage>('test-chain', { ...viewChange('n1', 3, [], 4), checkpointProof: checkpointProof(4).slice(0, 2) }, keyring.authenticatorFor('n1')), 10, 'PBFT_VC_BAD_CHECKPOINT_PROOF'],
      [{ ...viewChange('n1', 3, []), sender: 'n2' }, 10, 'PBFT_VC_BAD_SIGNATURE'],
    ];
    for (const [vc, maxCertificates, code] of cases) expect(checkViewChange(context, vc, maxCertificates)).toEqual({ ok: false, code });
  });
});

describe('new-view plan', () => {
  it('re-proposes the highest-view prepared block per height, above the highest stable checkpoint, up to the first gap', () => {
    const plan = computeNewViewPlan([
      viewChange('n0', 4, [preparedCertificate(1, 3, 'old'), preparedCertificate(1, 4, 'x')], 2),
      viewChange('n1', 4, [preparedCertificate(2, 3, 'newer'), preparedCertificate(2, 6, 'after-gap')], 0),
      viewChange('n2', 4, [], 2),
    ]);
    expect(plan.stableHeight).toBe(2);
    expect(plan.stableProof).toHaveLength(3);
    expect(plan.reproposals.map((r) => [r.height, text(r.block)])).toEqual([
      [3, 'block:3:newer'],
      [4, 'block:4:x'],
    ]);
  });

  it('starts the new view empty when nobody prepared anything', () => {
    expect(computeNewViewPlan([viewChange('n0', 1, []), viewChange('n1', 1, []), viewChange('n2', 1, [])])).toEqual({
      stableHeight: 0,
      stableProof: [],
      reproposals: [],
    });
  });
});
