import { describe, expect, it } from 'vitest';
import { resolvePeerManagerOptions, type PeerManagerOptions } from './peer-manager-options.js';

const base: PeerManagerOptions = {
  nodeId: 'node-a',
  credentials: { cert: '', key: '', ca: '' },
  validators: [{ nodeId: 'node-a', spkiSha256: 'aa', host: '127.0.0.1', port: 7400 }],
};

describe('resolvePeerManagerOptions', () => {
  it('keeps defaults when optional fields are present but undefined', () => {
    const resolved = resolvePeerManagerOptions({
      ...base,
      revocation: { url: 'http://admin/v1/revocations', pollIntervalMs: undefined },
      backoff: { maxDelayMs: undefined, initialDelayMs: 20 },
    });
    expect(resolved.revocation?.pollIntervalMs).toBe(30_000);
    expect(resolved.backoff).toEqual({ initialDelayMs: 20, maxDelayMs: 5000, multiplier: 2 });
    expect(resolved.listenPort).toBe(7400);
  });

  it('rejects inconsistent options with P2P_CONFIG', () => {
    for (const bad of [
      { ...base, heartbeatIntervalMs: 1000, deadPeerTimeoutMs: 1000 },
      { ...base, maxQueueBytes: 0 },
      { ...base, revocation: { url: 'http://admin', pollIntervalMs: 0 } },
      { ...base, nodeId: 'node-z' },
    ]) {
      expect(() => resolvePeerManagerOptions(bad)).toThrow(expect.objectContaining({ code: 'P2P_CONFIG' }));
    }
  });
});
