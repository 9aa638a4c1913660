import { describe, expect, it } from 'vitest';
import { NodeRole, StateOverlay, TxType, chainRulesOf, executeTransaction, type ConsensusType, type WorldState } from '#chain';
import type { AdmittedEvent, ConsensusEngine, ConsensusStatus } from '#consensus';
import { genesisState, signTx, testAccount, testGenesis } from '../../../../test/support/chain-fixtures.js';
import { participationOf, RoleSwitchingEngine, type Participation } from './role-engine.js';

const validators = ['v1', 'v2'].map((nodeId, i) => ({
  nodeId,
  organization: 'Org1',
  consensusPublicKey: testAccount(`consensus-${nodeId}`).publicKeyHex,
  spkiSha256: String(i + 1).repeat(64),
  p2pAddress: `127.0.0.1:${7001 + i}`,
  apiUrl: 'http://127.0.0.1:1',
}));
const genesis = testGenesis({ overrides: { validators } });
const governance = testAccount('governance');

function withLearner(state: WorldState, nodeId: string): WorldState {
  const overlay = new StateOverlay(state);
  const payload = { type: TxType.NODE_ADD, nodeId, organization: 'Org2', consensusPublicKey: testAccount('k').publicKey, spkiSha256: new Uint8Array(32).fill(9), p2pAddress: '127.0.0.1:7009', apiUrl: 'http://127.0.0.1:9', role: NodeRole.LEARNER } as const;
  expect(executeTransaction(overlay, signTx(governance, 0n, payload), { rules: chainRulesOf(genesis), height: 1n })).toBeUndefined();
  state.apply(overlay.diff());
  return state;
}

describe('participation follows the chain node set', () => {
  it('voters run consensus; Raft learners too; PBFT learners, observers and unknown nodes follow', () => {
    const state = withLearner(genesisState(genesis), 'v3');
    const cases: Array<[ConsensusType, string, Participation]> = [
      ['raft', 'v1', 'consensus'],
      ['pbft', 'v1', 'consensus'],
      ['raft', 'v3', 'consensus'],
      ['pbft', 'v3', 'follower'],
      ['raft', 'stranger', 'follower'],
      ['pbft', 'stranger', 'follower'],
      ['solo', 'anyone', 'consensus'],
    ];
    for (const [type, nodeId, expected] of cases) expect(participationOf(type, state, nodeId), `${type} ${nodeId}`).toBe(expected);
  });
});

class RecordingEngine implements ConsensusEngine {
  readonly type = 'pbft' as const;
  readonly admitted: AdmittedEvent[] = [];
  started = false;
  stopped = false;
  constructor(readonly participation: Participation) {}
  async start(): Promise<void> {
    this.started = true;
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
  status(): ConsensusStatus {
    return { type: 'pbft', role: this.participation === 'consensus' ? 'replica' : 'observer', commitHeight: '0' };
  }
  notifyTransactionsAdmitted(event: AdmittedEvent): void {
    this.admitted.push(event);
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 10));

/** A switching engine over recording engines, starting as a follower. */
function switchingEngine(): { engine: RoleSwitchingEngine; created: RecordingEngine[]; want: (p: Participation) => void } {
  let wanted: Participation = 'follower';
  const created: RecordingEngine[] = [];
  const engine = new RoleSwitchingEngine('pbft', () => wanted, async (p) => {
    const e = new RecordingEngine(p);
    created.push(e);
    return e;
  }, { info: () => undefined, error: () => undefined });
  return { engine, created, want: (p) => (wanted = p) };
}

describe('RoleSwitchingEngine', () => {
  it('stops the old engine and starts a new one when the role changes, and only then', async () => {
    const { engine, created, want } = switchingEngine();
    await engine.start();
    engine.reconcile();
    await settle();
    expect(created).toHaveLength(1); // same role: no switch
    want('consensus');
    engine.reconcile();
    await settle();
    const [follower, consensus] = created;
    expect(follower.stopped).toBe(true);
    expect(consensus.participation).toBe('consensus');
    expect(consensus.started).toBe(true);
    await engine.stop();
    expect(consensus.stopped).toBe(true);
  });

  it('hands admitted transactions to whichever engine runs', async () => {
    const { engine, created, want } = switchingEngine();
    await engine.start();
    engine.notifyTransactionsAdmitted({ readyCount: 1, txs: [], source: 'rest' });
    want('consensus');
    engine.reconcile();
    await settle();
    engine.notifyTransactionsAdmitted({ readyCount: 2, txs: [], source: 'rest' });
    expect(created.map((e) => e.admitted.map((a) => a.readyCount))).toEqual([[1], [2]]);
    expect(engine.status().role).toBe('replica');
    await engine.stop();
  });
});
