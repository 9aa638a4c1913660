import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { signPbftMessage } from './signing.js';
import { TestCluster, testBlock } from './testing.js';
import { checkNewView } from './view-change.js';
import type { NewViewMessage, PrePrepareMessage, ViewChangeMessage } from './types.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const replicasOtherThan = (cluster: TestCluster, excluded: string): string[] => cluster.ids.filter((id) => id !== excluded);

describe('PbftReplica: view change', () => {
  it('replaces a silent primary: replicas time out, the next primary announces NEW-VIEW, blocks commit again', () => {
    const cluster = new TestCluster(4);
    cluster.filter = (e) => e.from !== 'n0';
    cluster.tick(9, 'ok');
    for (const id of replicasOtherThan(cluster, 'n0')) expect(cluster.replica(id).view).toBe(0);
    cluster.tick(6, 'ok');
    for (const id of replicasOtherThan(cluster, 'n0')) {
      expect(cluster.replica(id).view).toBe(1);
      expect(cluster.replica(id).isViewChanging()).toBe(false);
      expect(cluster.heights(id)).toContain(1);
      expect(text(cluster.committed.get(id)![0].block)).toBe('block:1:ok@n1');
    }
  });

  it('re-proposes a block prepared in the old view, so the new primary cannot replace it', () => {
    const cluster = new TestCluster(4);
    cluster.filter = (e) => e.message.type !== 'commit';
    cluster.propose('old');
    cluster.deliverAll();
    for (const id of cluster.ids) expect(cluster.heights(id)).toEqual([]);
    // Every replica is prepared on n0's block; now n0 falls silent and commits flow again.
    cluster.filter = (e) => e.from !== 'n0';
    cluster.tick(20, 'new');
    for (const id of replicasOtherThan(cluster, 'n0')) {
      expect(cluster.replica(id).view).toBe(1);
      expect(text(cluster.committed.get(id)![0].block)).toBe('block:1:old@n0');
      expect(text(cluster.committed.get(id)![1].block)).toBe('block:2:new@n1');
    }
  });

  it('keeps a block one replica committed before the view change', () => {
    const cluster = new TestCluster(4);
    cluster.filter = (e) => e.message.type !== 'commit' || e.to === 'n3';
    cluster.propose('first');
    cluster.deliverAll();
    expect(cluster.heights('n3')).toEqual([1]);
    expect(cluster.heights('n1')).toEqual([]);
    cluster.filter = (e) => e.from !== 'n0';
    cluster.tick(20, 'second');
    for (const id of replicasOtherThan(cluster, 'n0')) {
      expect(text(cluster.committed.get(id)![0].block)).toBe('block:1:first@n0');
    }
  });

  it('doubles the view-change timeout for each consecutive failed view', () => {
    const cluster = new TestCluster(4);
    cluster.filter = (e) => e.message.type !== 'new-view';
    const replica = cluster.replica('n2');
    expect(replica.currentTimeoutTicks()).toBe(10);
    cluster.tick(10);
    expect(replica.view).toBe(1);
    expect(replica.currentTimeoutTicks()).toBe(20);
    cluster.tick(19);
    expect(replica.view).toBe(1);
    cluster.tick(1);
    expect(replica.view).toBe(2);
    cluster.tick(40);
    expect(replica.view).toBe(3);
    expect(replica.currentTimeoutTicks()).toBe(80);
  });

  it('waits for a quorum of view-changes before timing out again', () => {
    const cluster = new TestCluster(4);
    cluster.filter = () => false;
    cluster.tick(10);
    const lonely = cluster.replica('n3');
    expect(lonely.view).toBe(1);
    cluster.tick(200);
    // Alone in view 1 it does not race ahead to view 2, 3, ...
    expect(lonely.view).toBe(1);
  });

  it('joins a view change as soon as f+1 other replicas ask for a higher view', () => {
    const cluster = new TestCluster(4);
    cluster.filter = (e) => e.to === 'n3';
    for (let i = 0; i < 10; i++) cluster.replica('n1').tick();
    cluster.deliverAll();
    expect(cluster.replica('n3').view).toBe(0);
    for (let i = 0; i < 10; i++) cluster.replica('n2').tick();
    cluster.deliverAll();
    expect(cluster.replica('n3').view).toBe(1);
    expect(cluster.replica('n3').isViewChanging()).toBe(true);
  });

  it('finds the others again after falling many views behind', () => {
    const cluster = new TestCluster(4, { maxFutureViews: 2 });
    const far = 20;
    const n3 = cluster.replica('n3');
    for (const sender of ['n1', 'n2']) {
      const vc = signPbftMessage<ViewChangeMessage>(
        'test-chain',
        { type: 'view-change', view: far, stableHeight: 0, checkpointProof: [], prepared: [], sender },
        cluster.keyring.authenticatorFor(sender),
      );
      n3.step(vc);
      n3.step({ ...vc, view: far + 1 });
    }
    // Forged claims (a signature for view 20 relabelled 21) count for nothing.
    expect(n3.dropCounters()).toMatchObject({ 'future-view': 2, 'bad-signature': 1, 'invalid-view-change': 1 });
    expect(n3.view).toBe(far);
    expect(n3.isViewChanging()).toBe(true);
  });

  it('rejects a NEW-VIEW that does not follow from its view-changes, then accepts the genuine one', () => {
    const cluster = new TestCluster(4);
    cluster.filter = (e) => e.message.type !== 'commit';
    cluster.propose('kept');
    cluster.deliverAll();
    let genuine: NewViewMessage | undefined;
    cluster.filter = (e) => {
      if (e.message.type === 'new-view') genuine = e.message;
      return e.from !== 'n0' && e.message.type !== 'new-view' && e.message.type !== 'commit';
    };
    cluster.tick(10);
    expect(genuine?.prePrepares.map((pp) => text(pp.block))).toEqual(['block:1:kept@n0']);
    const nv = genuine as NewViewMessage;
    const context = { chainId: 'test-chain', validators: cluster.ids, quorum: 3, authenticator: cluster.keyring, blockDigest: sha256 };
    const n1 = cluster.keyring.authenticatorFor('n1');
    const replaced = testBlock(1, 'replaced@n1');
    const forgedPp = signPbftMessage<PrePrepareMessage>('test-chain', { ...nv.prePrepares[0], block: replaced, digest: sha256(replaced) }, n1);
    const tampered: [string, NewViewMessage][] = [
      ['PBFT_NV_WRONG_REPROPOSALS', signPbftMessage<NewViewMessage>('test-chain', { ...nv, prePrepares: [] }, n1)],
      ['PBFT_NV_WRONG_REPROPOSALS', signPbftMessage<NewViewMessage>('test-chain', { ...nv, prePrepares: [forgedPp] }, n1)],
      ['PBFT_NV_INSUFFICIENT', signPbftMessage<NewViewMessage>('test-chain', { ...nv, viewChanges: nv.viewChanges.slice(1) }, n1)],
      ['PBFT_NV_NOT_PRIMARY', signPbftMessage<NewViewMessage>('test-chain', { ...nv, sender: 'n2' }, cluster.keyring.authenticatorFor('n2'))],
      ['PBFT_NV_BAD_SIGNATURE', { ...nv, signature: new Uint8Array(32) }],
      ['PBFT_NV_BAD_VIEW_CHANGE', signPbftMessage<NewViewMessage>('test-chain', { ...nv, viewChanges: [nv.viewChanges[0], ...nv.viewChanges] }, n1)],
    ];
    const target = cluster.replica('n3');
    for (const [code, message] of tampered) {
      expect(checkNewView(context, message, 4)).toEqual({ ok: false, code });
      target.step(message);
    }
    expect(target.dropCounters()['invalid-new-view']).toBe(tampered.length);
    expect(target.isViewChanging()).toBe(true);
    expect(checkNewView(context, nv, 4).ok).toBe(true);
    target.step(nv);
    expect(target.isViewChanging()).toBe(false);
    expect(target.view).toBe(1);
  });
});
