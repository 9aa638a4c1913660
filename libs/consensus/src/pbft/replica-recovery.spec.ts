import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { signPbftMessage } from './signing.js';
import { TestCluster, testBlock } from './testing.js';
import type { CommitMessage, PrePrepareMessage, PrepareMessage } from './types.js';

const run = (cluster: TestCluster, heights: number): void => {
  for (let i = 0; i < heights; i++) {
    cluster.propose();
    cluster.deliverAll();
  }
};

describe('PbftReplica: checkpoints, watermarks and garbage collection', () => {
  it('makes a checkpoint stable on 2f+1 matching checkpoints and forgets the log below it', () => {
    const cluster = new TestCluster(4, { checkpointIntervalHeights: 2, watermarkWindowHeights: 4 });
    run(cluster, 1);
    const replica = cluster.replica('n2');
    expect(replica.stableCheckpointHeight).toBe(0);
    expect(replica.loggedHeights).toBe(1);
    run(cluster, 1);
    expect(replica.stableCheckpointHeight).toBe(2);
    expect(replica.loggedHeights).toBe(0);
    run(cluster, 3);
    expect(replica.stableCheckpointHeight).toBe(4);
    expect(replica.loggedHeights).toBe(1);
    const persisted = cluster.persisted.get('n2');
    expect(persisted?.stableCheckpoint.height).toBe(4);
    expect(persisted?.stableCheckpoint.proof.length).toBeGreaterThanOrEqual(3);
    expect(persisted?.preparedCertificates.map((c) => c.prePrepare.height)).toEqual([5]);
  });

  it('does not stabilise a checkpoint that only 2f validators vouch for', () => {
    const cluster = new TestCluster(4, { checkpointIntervalHeights: 2 });
    cluster.filter = (e) => e.message.type !== 'checkpoint' || e.from === 'n0';
    run(cluster, 2);
    expect(cluster.replica('n1').lastCommittedHeight).toBe(2);
    expect(cluster.replica('n1').stableCheckpointHeight).toBe(0);
  });

  it('accepts votes only inside the watermark window, which moves with the stable checkpoint', () => {
    const cluster = new TestCluster(4, { checkpointIntervalHeights: 2, watermarkWindowHeights: 4 });
    const vote = (height: number): PrepareMessage =>
      signPbftMessage<PrepareMessage>(
        'test-chain',
        { type: 'prepare', view: 0, height, digest: sha256(testBlock(height, 'x')), sender: 'n3' },
        cluster.keyring.authenticatorFor('n3'),
      );
    const replica = cluster.replica('n1');
    replica.step(vote(4));
    replica.step(vote(5));
    expect(replica.dropCounters()['outside-watermarks']).toBe(1);
    run(cluster, 2);
    expect(replica.stableCheckpointHeight).toBe(2);
    const before = replica.dropCounters()['outside-watermarks'];
    replica.step(vote(2));
    replica.step(vote(6));
    replica.step(vote(7));
    expect(replica.dropCounters()['outside-watermarks'] - before).toBe(2);
  });
});

describe('PbftReplica: falling behind and catching up', () => {
  it('asks to sync when 2f+1 commit heights it cannot reach, and commits fetched blocks with valid certificates only', () => {
    const cluster = new TestCluster(4, { checkpointIntervalHeights: 10 });
    let cutOff = true;
    cluster.filter = (e) => !(cutOff && e.to === 'n3');
    run(cluster, 3);
    expect(cluster.heights('n3')).toEqual([]);
    cutOff = false;
    run(cluster, 1);
    expect(cluster.syncRequests.get('n3')).toBe(4);
    const lagging = cluster.replica('n3');
    const source = cluster.committed.get('n0')!;
    expect(lagging.deliverSyncedBlock(source[1])).toEqual({ ok: false, code: 'PBFT_SYNC_OUT_OF_ORDER' });
    expect(lagging.deliverSyncedBlock({ ...source[0], certificate: source[0].certificate.slice(0, 2) })).toEqual({
      ok: false,
      code: 'PBFT_CERT_INSUFFICIENT',
    });
    const forged = signPbftMessage<CommitMessage>('test-chain', { ...source[0].certificate[0], sender: 'n2' }, cluster.keyring.authenticatorFor('n1'));
    expect(lagging.deliverSyncedBlock({ ...source[0], certificate: [...source[0].certificate.slice(0, 2), forged] })).toEqual({
      ok: false,
      code: 'PBFT_CERT_BAD_SIGNATURE',
    });
    expect(lagging.deliverSyncedBlock({ ...source[0], block: testBlock(1, 'swapped') })).toEqual({ ok: false, code: 'PBFT_SYNC_DIGEST_MISMATCH' });
    for (const block of source.slice(0, 3)) expect(lagging.deliverSyncedBlock(block)).toEqual({ ok: true });
    cluster.flush();
    // Height 4 was already logged with its block and a commit quorum: it commits right after 3.
    expect(cluster.heights('n3')).toEqual([1, 2, 3, 4]);
    run(cluster, 1);
    expect(cluster.heights('n3')).toEqual([1, 2, 3, 4, 5]);
  });

  it('learns it is behind from f+1 checkpoints above its last commit', () => {
    const cluster = new TestCluster(4, { checkpointIntervalHeights: 2 });
    cluster.filter = (e) => e.to !== 'n3' || e.message.type === 'checkpoint';
    run(cluster, 2);
    expect(cluster.heights('n3')).toEqual([]);
    expect(cluster.syncRequests.get('n3')).toBe(2);
  });
});

describe('PbftReplica: restart from persisted state', () => {
  it('restores view and commits, and never votes for a different block at a view and height it voted on', () => {
    const cluster = new TestCluster(4);
    run(cluster, 2);
    const first = testBlock(3, 'first@n0');
    const ppFirst = signPbftMessage<PrePrepareMessage>(
      'test-chain',
      { type: 'pre-prepare', view: 0, height: 3, digest: sha256(first), block: first, sender: 'n0' },
      cluster.keyring.authenticatorFor('n0'),
    );
    cluster.replica('n1').step(ppFirst);
    cluster.flush();
    expect(cluster.persisted.get('n1')?.votes).toEqual([{ type: 'prepare', view: 0, height: 3, digest: sha256(first) }]);
    cluster.queue = [];

    const restarted = cluster.restart('n1');
    expect(restarted.lastCommittedHeight).toBe(2);
    expect(restarted.view).toBe(0);
    const second = testBlock(3, 'second@n0');
    restarted.step(
      signPbftMessage<PrePrepareMessage>(
        'test-chain',
        { type: 'pre-prepare', view: 0, height: 3, digest: sha256(second), block: second, sender: 'n0' },
        cluster.keyring.authenticatorFor('n0'),
      ),
    );
    cluster.flush();
    expect(cluster.queue.filter((e) => e.message.type === 'prepare')).toEqual([]);
    expect(restarted.dropCounters()['invalid-proposal']).toBe(1);
  });

  it('re-announces its view-change after restarting in the middle of one', () => {
    const cluster = new TestCluster(4);
    cluster.filter = () => false;
    cluster.tick(10);
    expect(cluster.persisted.get('n2')?.viewChanging).toBe(true);
    cluster.queue = [];
    const restarted = cluster.restart('n2');
    cluster.flush();
    expect(restarted.view).toBe(1);
    expect(restarted.isViewChanging()).toBe(true);
    expect(cluster.queue.filter((e) => e.from === 'n2').map((e) => e.message.type)).toContain('view-change');
  });
});
