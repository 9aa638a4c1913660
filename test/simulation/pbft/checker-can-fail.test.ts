import { describe, expect, it } from 'vitest';
import { runPbftSimulation } from './cluster.js';

describe('the PBFT simulation checker', () => {
  it('detects divergence when the quorum is an unsafe 2f and f+1 validators equivocate', () => {
    const divergent: number[] = [];
    for (let seed = 1; seed <= 40 && divergent.length === 0; seed++) {
      const result = runPbftSimulation({
        seed,
        validatorCount: 4,
        byzantineCount: 2,
        quorumOverride: 2,
        profile: 'equivocator',
        crashes: false,
        gstTick: 100,
        livenessBoundTicks: 300,
      });
      if (result.violation?.includes('divergence')) divergent.push(seed);
    }
    expect(divergent.length).toBeGreaterThan(0);
  });

  it('reports a liveness violation when more than f validators stay silent', () => {
    const result = runPbftSimulation({
      seed: 7,
      validatorCount: 4,
      byzantineCount: 2,
      profile: 'silent',
      crashes: false,
      gstTick: 50,
      livenessBoundTicks: 400,
    });
    expect(result.violation).toMatch(/^liveness:/);
  });
});
