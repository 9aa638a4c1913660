import { describe, expect, it } from 'vitest';
import { testAccount, testGenesis } from '../../../../test/support/chain-fixtures.js';
import { parseDialOverrides, resolveValidatorConfig } from '../config/validator-config.js';
import { peersOf, validatorsOf } from './network.js';

const genesis = testGenesis({
  overrides: {
    consensus: { type: 'raft', blockIntervalMs: 50, maxTxsPerBlock: 100, electionTimeoutMs: 500, heartbeatIntervalMs: 50 },
    validators: ['validator-1', 'validator-2'].map((nodeId, i) => ({
      nodeId,
      organization: 'Org1',
      consensusPublicKey: testAccount(`consensus-${nodeId}`).publicKeyHex,
      spkiSha256: String(i + 1).repeat(64),
      p2pAddress: `127.0.0.1:${7001 + i}`,
      apiUrl: 'http://127.0.0.1:0',
    })),
  },
});

describe('p2p dial overrides', () => {
  it('replace only where an overridden peer is dialed; its registered key stays', () => {
    const validators = validatorsOf(genesis, { 'validator-2': 'localhost:9999' });
    expect(validators).toEqual([
      { nodeId: 'validator-1', spkiSha256: '1'.repeat(64), host: '127.0.0.1', port: 7001 },
      { nodeId: 'validator-2', spkiSha256: '2'.repeat(64), host: 'localhost', port: 9999 },
    ]);
  });

  it('come from ACCORD_P2P_DIAL_OVERRIDES, with the CLI value taking precedence', () => {
    const fromEnv = resolveValidatorConfig({ genesis }, { ACCORD_P2P_DIAL_OVERRIDES: '{"validator-2":"127.0.0.1:1"}' });
    expect(fromEnv.p2pDialOverrides).toEqual({ 'validator-2': '127.0.0.1:1' });
    const fromCli = resolveValidatorConfig({ genesis, p2pDialOverrides: '{"validator-1":"127.0.0.1:2"}' }, { ACCORD_P2P_DIAL_OVERRIDES: '{"validator-2":"127.0.0.1:1"}' });
    expect(fromCli.p2pDialOverrides).toEqual({ 'validator-1': '127.0.0.1:2' });
    expect(resolveValidatorConfig({ genesis }, {}).p2pDialOverrides).toEqual({});
  });

  it('refuse malformed JSON, non-string addresses, bad addresses and unknown validators with CONFIG_INVALID', () => {
    for (const bad of ['{', '[]', '"x"', '{"validator-2": 5}']) expect(() => parseDialOverrides(bad), bad).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => validatorsOf(genesis, { 'validator-2': 'no-port' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => validatorsOf(genesis, { 'validator-9': '127.0.0.1:1' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('validator-9') }));
  });

  it('peers are the live nodes of the chain: learners and observers too, removed ones not', () => {
    const node = (status: 'voter' | 'learner' | 'observer' | 'removed', port: number) => ({ spkiSha256: 'a'.repeat(64), p2pAddress: `127.0.0.1:${port}`, status });
    const peers = peersOf([['v', node('voter', 1)], ['l', node('learner', 2)], ['o', node('observer', 3)], ['r', node('removed', 4)]], { o: 'proxy:9' });
    expect(peers.map((p) => [p.nodeId, p.host, p.port])).toEqual([['l', '127.0.0.1', 2], ['o', 'proxy', 9], ['v', '127.0.0.1', 1]]);
  });
});
