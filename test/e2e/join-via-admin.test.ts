import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccordClient } from '#sdk';
import { AdminApiClient } from '../../apps/admin/src/index.js';
import { enrollValidator } from '../../apps/cli/src/devnet/bootstrap.js';
import { devnetLayout } from '../../apps/cli/src/devnet/layout.js';
import { runDevnet, type RunningDevnet } from '../../apps/cli/src/devnet/run.js';
import { freePort, freePortBase } from '../support/ports.js';
import { requireBuild, spawnAccord, type RunningProcess } from '../support/process.js';
import { tempDir } from '../support/temp.js';
import { until } from '../support/wait.js';

/*
 * A validator joins a running consortium the way an organisation would do it: enrolled through
 * the admin (CSR → certificate), added as a learner by the admin, started from nothing but the
 * admin URL (it fetches the genesis and syncs), then promoted by the admin. The admin refuses a
 * removal that would leave the network without a live quorum, and says why.
 */

const dir = tempDir('join-via-admin');
const JOINER = 'validator-5';
let devnet: RunningDevnet;
let admin: AdminApiClient;
let joiner: RunningProcess | undefined;
let joinerUrl: string;

async function roleOf(url: string): Promise<string> {
  return (await new AccordClient(url, 10_000).status()).consensus.role;
}

async function height(url: string): Promise<number> {
  return (await new AccordClient(url, 10_000).status()).height;
}

/** Asks the admin for a change; resolves to the refusal code, or undefined when it was submitted. */
async function change(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<string | undefined> {
  try {
    await admin.request(method, path, body);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

beforeAll(async () => {
  requireBuild();
  // REST ports from base, p2p ports from base + 100, for the 4 validators.
  const base = await freePortBase([0, 1, 2, 3, 100, 101, 102, 103]);
  devnet = await runDevnet(
    { dataDir: dir.path, consensus: 'raft', validators: 4, powBits: 0, reset: true, adminPort: await freePort(), firstRestPort: base, firstP2pPort: base + 100 },
    () => undefined,
  );
  const layout = devnetLayout(dir.path);
  admin = await AdminApiClient.login(devnet.admin.url, 'devnet-bootstrap', readFileSync(layout.bootstrapPasswordFile, 'utf8').trim());
}, 240_000);

afterAll(async () => {
  joiner?.child.kill('SIGKILL');
  await devnet?.stop();
  dir.cleanup();
}, 120_000);

describe('joining a validator through the admin (Raft devnet)', () => {
  it('enrolls, is added as a learner, starts from the admin URL alone and syncs', async () => {
    const layout = devnetLayout(dir.path);
    const [restPort, p2pPort] = [await freePort(), await freePort()];
    joinerUrl = `http://127.0.0.1:${restPort}`;
    await enrollValidator(admin, devnet.admin.url, layout, { nodeId: JOINER, organisation: 'Org5', p2pAddress: `127.0.0.1:${p2pPort}`, restUrl: joinerUrl });
    // The admin submits NODE_ADD once the member is on chain; it may need a moment.
    let refusal: string | undefined;
    await until('the admin adds the learner', async () => {
      refusal = await change('POST', '/v1/network/nodes', { nodeId: JOINER, role: 'learner' });
      return refusal === undefined ? true : undefined;
    }, 60_000);
    joiner = spawnAccord(
      ['validator', 'start', '--node-id', JOINER, '--admin-url', devnet.admin.url, '--data-dir', layout.validatorDir(JOINER), '--tls-dir', layout.tlsDir(JOINER),
        '--consensus-key', join(layout.validatorDir(JOINER), 'consensus-key.json'), '--port', String(restPort), '--p2p-address', `127.0.0.1:${p2pPort}`],
      { LOG_LEVEL: 'warn' },
    );
    await joiner.waitFor(/REST\s+http:\/\/127\.0\.0\.1:\d+/, 60_000);
    await until('the joiner is a synced learner', async () => {
      const [own, reference] = await Promise.all([height(joinerUrl), height(devnet.validators[0].url)]);
      return own >= reference - 2 && (await roleOf(joinerUrl)) === 'learner' ? true : undefined;
    }, 90_000);
  }, 240_000);

  it('is promoted to voter by the admin', async () => {
    // The admin promotes only a learner that is caught up and once the previous change committed.
    await until('the admin promotes', async () => ((await change('POST', `/v1/network/nodes/${JOINER}/promote`)) === undefined ? true : undefined), 60_000);
    await until('the joiner votes', async () => (['follower', 'leader'].includes(await roleOf(joinerUrl)) ? true : undefined), 60_000);
  }, 180_000);

  it('refuses a removal that would leave no live quorum, naming the numbers', async () => {
    // Five voters; two are stopped. Removing a live one would leave 2 live of 4 (Raft needs 3).
    for (const validator of devnet.validators.slice(2)) validator.child.kill('SIGSTOP');
    try {
      let refusal: unknown;
      try {
        await admin.request('DELETE', `/v1/network/nodes/${devnet.validators[1].nodeId}`);
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toMatchObject({ code: 'QUORUM_AT_RISK', message: expect.stringMatching(/2 live voters? of 4/) });
    } finally {
      for (const validator of devnet.validators.slice(2)) validator.child.kill('SIGCONT');
    }
  });
});
