import { describe, expect, it } from 'vitest';
import { decodePbftPersistentState, encodePbftPersistentState } from './state-codec.js';
import { TestCluster } from './testing.js';

describe('PBFT persistent state codec', () => {
  it('round-trips real replica state (checkpoint proof, recent commits, prepared certificates, votes)', () => {
    const cluster = new TestCluster(4, { checkpointIntervalHeights: 2 });
    for (let i = 0; i < 3; i++) {
      cluster.propose();
      cluster.deliverAll();
    }
    cluster.filter = (e) => e.message.type !== 'commit';
    cluster.propose();
    cluster.deliverAll();
    const state = cluster.persisted.get('n1')!;
    expect(state.stableCheckpoint.proof.length).toBeGreaterThan(0);
    expect(state.preparedCertificates.length).toBeGreaterThan(0);
    expect(state.votes.length).toBeGreaterThan(0);
    expect(state.recentCommits.length).toBeGreaterThan(0);
    const decoded = decodePbftPersistentState(Buffer.from(encodePbftPersistentState(state)));
    expect(decoded).toEqual({ ok: true, state });

    const restarted = new TestCluster(4, { checkpointIntervalHeights: 2 });
    restarted.persisted.set('n1', (decoded as { state: typeof state }).state);
    const replica = restarted.restart('n1');
    expect(replica.lastCommittedHeight).toBe(3);
    expect(replica.stableCheckpointHeight).toBe(2);
  });

  it('reports corrupt state with a typed error', () => {
    const result = decodePbftPersistentState(new Uint8Array([0x3a, 0x02, 0x08, 0x09]));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('PBFT_DECODE_INVALID_FIELD');
    const truncated = decodePbftPersistentState(new Uint8Array([0x22, 0x05, 0x08]));
    expect(truncated.ok).toBe(false);
  });
});
