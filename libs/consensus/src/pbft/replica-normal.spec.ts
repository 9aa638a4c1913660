import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { checkCommitCertificate } from './certificates.js';
import { encodePbftMessage } from './codec.js';
import { signPbftMessage } from './signing.js';
import { TestCluster, testBlock, type TestEnvelope } from './testing.js';
import type { CommitMessage, PrePrepareMessage, PrepareMessage } from './types.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('PbftReplica: normal case', () => {
  it('commits a proposed block at every replica with a certificate of 2f+1 same-view commits', () => {
    const cluster = new TestCluster(4);
    expect(cluster.replica('n0').isPrimary()).toBe(true);
    expect(cluster.replica('n1').isPrimary()).toBe(false);
    cluster.propose();
    cluster.deliverAll();
    const digests = new Set<string>();
    for (const id of cluster.ids) {
      const [block] = cluster.committed.get(id) ?? [];
      expect(block.height).toBe(1);
      expect(new TextDecoder().decode(block.block)).toBe('block:1:ok@n0');
      expect(block.certificate).toHaveLength(3);
      expect(new Set(block.certificate.map((c) => c.sender)).size).toBe(3);
      expect(block.certificate.every((c) => c.view === block.view && c.height === 1)).toBe(true);
      const verdict = checkCommitCertificate(
        { chainId: 'test-chain', validators: cluster.ids, quorum: 3, authenticator: cluster.keyring },
        1,
        block.digest,
        block.certificate,
      );
      expect(verdict).toEqual({ ok: true });
      digests.add(hex(block.digest));
    }
    expect(digests.size).toBe(1);
  });

  it('commits consecutive heights strictly in order', () => {
    const cluster = new TestCluster(7);
    for (let round = 0; round < 5; round++) {
      cluster.propose();
      cluster.deliverAll();
    }
    for (const id of cluster.ids) expect(cluster.heights(id)).toEqual([1, 2, 3, 4, 5]);
    expect(cluster.replica('n3').nextHeight()).toBe(6);
  });

  it('sends COMMIT only once prepared: the pre-prepare plus 2f matching prepares from other replicas', () => {
    const cluster = new TestCluster(4);
    const commitsFromN1: CommitMessage[] = [];
    cluster.filter = (e) => {
      if (e.from === 'n1' && e.message.type === 'commit') commitsFromN1.push(e.message);
      return !(e.to === 'n1' && e.message.type === 'prepare');
    };
    cluster.propose();
    cluster.deliverAll();
    // n1 only has its own prepare: not prepared, so it never votes COMMIT...
    expect(commitsFromN1).toHaveLength(0);
    // ...but the 2f+1 commits of the others still prove the block committed, so n1 commits it.
    expect(cluster.heights('n1')).toEqual([1]);
  });

  it('does not commit on 2f commits, only on 2f+1', () => {
    const cluster = new TestCluster(4);
    const held: TestEnvelope[] = [];
    cluster.filter = (e) => {
      const hold = e.to === 'n3' && e.message.type === 'commit' && e.from !== 'n0';
      if (hold) held.push(e);
      return !hold;
    };
    cluster.propose();
    cluster.deliverAll();
    // n3 holds its own commit and n0's: 2f = 2 of the 3 needed.
    expect(cluster.heights('n3')).toEqual([]);
    expect(cluster.heights('n1')).toEqual([1]);
    cluster.replica('n3').step(held[0].message);
    cluster.flush();
    expect(cluster.heights('n3')).toEqual([1]);
  });

  it('lets only the primary of the view propose, once per height', () => {
    const cluster = new TestCluster(4);
    expect(cluster.replica('n1').propose(testBlock(1, 'x'))).toEqual({ ok: false, code: 'PBFT_NOT_READY_TO_PROPOSE' });
    expect(cluster.replica('n0').propose(testBlock(1, 'bad'))).toEqual({ ok: false, code: 'TEST_BLOCK_INVALID' });
    expect(cluster.replica('n0').propose(testBlock(1, 'a'))).toEqual({ ok: true });
    expect(cluster.replica('n0').readyToPropose()).toBe(false);
    expect(cluster.replica('n0').propose(testBlock(1, 'b')).ok).toBe(false);
  });
});

describe('PbftReplica: admission of incoming messages', () => {
  const setup = (): { cluster: TestCluster; pp: PrePrepareMessage } => {
    const cluster = new TestCluster(4);
    cluster.propose();
    cluster.flush();
    const pp = cluster.queue.find((e) => e.message.type === 'pre-prepare')?.message as PrePrepareMessage;
    cluster.queue = [];
    return { cluster, pp };
  };
  const prepare = (cluster: TestCluster, signer: string, fields: Partial<PrepareMessage>): PrepareMessage =>
    signPbftMessage<PrepareMessage>(
      'test-chain',
      { type: 'prepare', view: 0, height: 1, digest: sha256(testBlock(1, 'ok@n0')), sender: signer, ...fields },
      cluster.keyring.authenticatorFor(signer),
    );

  it('drops and counts forged, foreign, repeated, conflicting, stale and out-of-window messages', () => {
    const { cluster, pp } = setup();
    const target = cluster.replica('n2');
    target.step(pp);
    const genuine = prepare(cluster, 'n1', {});
    target.step(genuine);
    target.step(genuine);
    // Impersonation: n3 signs a conflicting vote in n1's name.
    target.step({ ...prepare(cluster, 'n3', { digest: new Uint8Array(32) }), sender: 'n1' });
    // A fresh vote with a corrupted signature.
    const fresh = prepare(cluster, 'n3', {});
    target.step({ ...fresh, signature: fresh.signature.map((b, i) => (i === 0 ? b ^ 1 : b)) });
    // n1 equivocates: a second, validly signed prepare for another digest.
    target.step(prepare(cluster, 'n1', { digest: new Uint8Array(32).fill(7) }));
    target.step({ ...genuine, sender: 'mallory' });
    target.step(prepare(cluster, 'n3', { height: 5 }));
    target.step(prepare(cluster, 'n3', { height: 0 }));
    target.step(prepare(cluster, 'n3', { view: 99 }));
    target.step(prepare(cluster, 'n0', {}));
    target.step({ ...pp, sender: 'n1', signature: signPbftMessage<PrePrepareMessage>('test-chain', { ...pp, sender: 'n1' }, cluster.keyring.authenticatorFor('n1')).signature });
    target.stepBytes(new Uint8Array([0xff, 0xff, 0xff]));
    target.stepBytes(encodePbftMessage(genuine).subarray(0, 10));
    expect(target.dropCounters()).toMatchObject({
      repeated: 1,
      'bad-signature': 2,
      equivocation: 1,
      'not-validator': 1,
      'outside-watermarks': 2,
      'future-view': 1,
      'not-primary': 2,
      malformed: 2,
    });
  });

  it('drops messages signed for another chain', () => {
    const { cluster, pp } = setup();
    const target = cluster.replica('n2');
    const foreign = signPbftMessage<PrePrepareMessage>('other-chain', pp, cluster.keyring.authenticatorFor('n0'));
    target.step(foreign);
    expect(target.dropCounters()['bad-signature']).toBe(1);
    target.step(pp);
    expect(target.dropCounters()['bad-signature']).toBe(1);
  });

  it('refuses a block the application rejects and does not vote for it', () => {
    const cluster = new TestCluster(4);
    const bad = testBlock(1, 'bad');
    const pp = signPbftMessage<PrePrepareMessage>(
      'test-chain',
      { type: 'pre-prepare', view: 0, height: 1, digest: sha256(bad), block: bad, sender: 'n0' },
      cluster.keyring.authenticatorFor('n0'),
    );
    cluster.replica('n1').step(pp);
    cluster.flush();
    expect(cluster.queue.filter((e) => e.from === 'n1')).toEqual([]);
    expect(cluster.replica('n1').dropCounters()['invalid-proposal']).toBe(1);
  });

  it('refuses a pre-prepare whose digest is not the digest of its block', () => {
    const cluster = new TestCluster(4);
    const block = testBlock(1, 'ok');
    const pp = signPbftMessage<PrePrepareMessage>(
      'test-chain',
      { type: 'pre-prepare', view: 0, height: 1, digest: new Uint8Array(32), block, sender: 'n0' },
      cluster.keyring.authenticatorFor('n0'),
    );
    cluster.replica('n1').step(pp);
    cluster.flush();
    expect(cluster.queue.filter((e) => e.message.type === 'prepare')).toEqual([]);
  });

  it('counts an equivocating primary: a second, different pre-prepare for the same view and height', () => {
    const { cluster, pp } = setup();
    const target = cluster.replica('n1');
    target.step(pp);
    const other = testBlock(1, 'other@n0');
    target.step(
      signPbftMessage<PrePrepareMessage>('test-chain', { ...pp, block: other, digest: sha256(other) }, cluster.keyring.authenticatorFor('n0')),
    );
    expect(target.dropCounters().equivocation).toBe(1);
  });
});

describe('PbftReplica: Ready/advance contract', () => {
  it('hands out persistent state with the messages that depend on it, and insists on advance()', () => {
    const cluster = new TestCluster(4);
    const primary = cluster.replica('n0');
    primary.propose(testBlock(1, 'a'));
    const rd = primary.ready();
    expect(rd.messages.map((m) => m.type)).toEqual(['pre-prepare']);
    expect(rd.persist?.votes).toEqual([{ type: 'pre-prepare', view: 0, height: 1, digest: sha256(testBlock(1, 'a')) }]);
    expect(() => primary.ready()).toThrowError(expect.objectContaining({ code: 'PBFT_READY_NOT_ADVANCED' }));
    primary.advance(rd);
    expect(primary.hasReady()).toBe(false);
    expect(() => primary.advance(rd)).toThrowError(expect.objectContaining({ code: 'PBFT_READY_MISMATCH' }));
  });
});
