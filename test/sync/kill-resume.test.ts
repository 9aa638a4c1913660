import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterFiles, startClusterNode, type ClusterFiles, type ClusterNode } from '../support/cluster.js';
import { requireBuild } from '../support/process.js';
import { tempDir } from '../support/temp.js';
import { until } from '../support/wait.js';
import { buildSyncChain, installLedger, type SyncChain } from './support/sync-chain.js';

interface StatusBody {
  height: number;
  headHash: string;
  stateRoot: string;
  sync: { state: string; height: string; targetHeight: string; blocksSynced: number; badPeers: number };
}

async function status(node: ClusterNode): Promise<StatusBody> {
  return (await (await fetch(`${node.url}/v1/status`)).json()) as StatusBody;
}

/** The first "fetching blocks N.." a sync run logged: where it started. */
function firstFetchedHeight(output: string): number | undefined {
  const match = output.match(/sync: behind, fetching blocks (\d+)\.\./);
  return match ? Number(match[1]) : undefined;
}

/**
 * A validator process killed with SIGKILL in the middle of block sync resumes from its ledger
 * head when restarted, and completes: nothing is fetched twice from the start, nothing is lost.
 */
describe('block sync survives kill -9', () => {
  const dir = tempDir('sync-kill');
  let files: ClusterFiles;
  let chain: SyncChain;
  const nodes: ClusterNode[] = [];

  beforeAll(async () => {
    requireBuild();
    files = await createClusterFiles(dir.path, { validators: 3, consensus: 'raft', members: 20 });
    chain = await buildSyncChain({ genesis: files.genesis, dir: dir.path, blocks: 300, txsPerBlock: 40, senders: 20 });
    for (const id of ['validator-1', 'validator-2']) {
      mkdirSync(files.dataDir(id), { recursive: true });
      installLedger(chain, files.dataDir(id));
      nodes.push(await startClusterNode(files, id));
    }
  }, 120_000);

  afterAll(() => {
    for (const node of nodes) node.process.child.kill('SIGKILL');
    dir.cleanup();
  });

  it('a restarted node continues from where the killed one stopped and ends on the same head', async () => {
    // Plain progress lines every 100 ms (stderr is not a terminal here); info logs show the runs.
    const env = { LOG_LEVEL: 'info', ACCORD_SYNC_PROGRESS_MS: '100' };
    const first = await startClusterNode(files, 'validator-3', env);
    nodes.push(first);
    const [, reached] = await first.process.waitFor(/sync: height ([1-9]\d*)\/300/, 60_000);
    first.process.child.kill('SIGKILL');
    await first.process.exited;
    expect(Number(reached)).toBeLessThan(chain.height);
    expect(firstFetchedHeight(first.process.output())).toBe(1);

    const second = await startClusterNode(files, 'validator-3', env);
    nodes.push(second);
    const synced = await until(
      'the restarted node at the head',
      async () => {
        const body = await status(second);
        return body.height === chain.height && body.sync.state === 'synced' ? body : undefined;
      },
      60_000,
    );
    expect(synced.headHash).toBe(chain.headHash);
    expect(synced.stateRoot).toBe(chain.stateRoot);
    // The second run started at or above the height the first one had reached.
    const resumedFrom = firstFetchedHeight(second.process.output());
    expect(resumedFrom).toBeGreaterThan(Number(reached));
    expect(synced.sync.blocksSynced).toBe(chain.height - (resumedFrom ?? 1) + 1);
    await second.process.waitFor(/sync: caught up at height 300/, 10_000);
    const metrics = await (await fetch(`${second.url}/metrics`)).text();
    expect(metrics).toMatch(/accord_sync_height 300/);
    expect(metrics).toMatch(/accord_sync_lag_blocks 0/);
  }, 150_000);
});
