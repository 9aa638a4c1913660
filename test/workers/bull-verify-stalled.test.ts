import { BullTxVerifier, InlineTxVerifier, TX_VERIFY_QUEUE } from '#mempool';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAIN_ID } from '../support/chain-fixtures.js';
import { obliterateQueue, requireRedis, TEST_REDIS_URL, uniquePrefix } from './support/redis.js';
import { buildTxCorpus } from './support/tx-mix.js';

function fixture(name: string): URL {
  return new URL(`./fixtures/${name}`, import.meta.url);
}

async function startWorkerNode(prefix: string): Promise<ChildProcess> {
  // Its own process group, so killing the group takes its sandbox child down with it: the
  // whole node dies, as in a machine crash, leaving its active job locked and unfinished.
  const node = spawn(
    process.execPath,
    ['--conditions=development', '--import', 'tsx', fixture('verify-worker-node.ts').pathname, TEST_REDIS_URL, prefix, fixture('crash-once-processor.ts').href],
    { detached: true, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: node.stdout! });
  const [line] = (await Promise.race([once(lines, 'line'), once(node, 'exit').then(() => ['exited'])])) as string[];
  if (line !== 'ready') throw new Error(`worker node did not start: ${line}`);
  return node;
}

describe('BullTxVerifier when a whole worker node dies', () => {
  const prefix = uniquePrefix('verify-stalled');
  const corpus = buildTxCorpus(8);
  const batch = [...corpus.valid, ...corpus['bad-signature'], ...corpus['wrong-chain']];
  let node: ChildProcess | undefined;
  const verifiers: BullTxVerifier[] = [];

  beforeAll(async () => {
    await requireRedis();
  });

  afterAll(async () => {
    if (node?.pid && node.exitCode === null && node.signalCode === null) process.kill(-node.pid, 'SIGKILL');
    for (const verifier of verifiers) await verifier.close();
    await obliterateQueue(TX_VERIFY_QUEUE, prefix);
  });

  it('moves its stalled job to another worker, which completes it once', async () => {
    node = await startWorkerNode(prefix);
    const submitter = new BullTxVerifier({ chainId: CHAIN_ID, redisUrl: TEST_REDIS_URL, prefix, processes: 0 });
    verifiers.push(submitter);
    const taken = once(submitter.queue, 'global:progress');
    const verifying = submitter.verifyBatch(batch);
    await taken;
    const exited = once(node, 'exit');
    process.kill(-node.pid!, 'SIGKILL');
    await exited;

    const stalledJobIds: string[] = [];
    const rescuer = new BullTxVerifier({ chainId: CHAIN_ID, redisUrl: TEST_REDIS_URL, prefix, processes: 1, stalledIntervalMs: 500 });
    verifiers.push(rescuer);
    rescuer.queue.on('stalled', (job) => stalledJobIds.push(String(job.id)));
    const completed: string[] = [];
    rescuer.queue.on('completed', (job) => completed.push(String(job.id)));

    const results = await verifying;
    expect(results).toEqual(await new InlineTxVerifier({ chainId: CHAIN_ID }).verifyBatch(batch));
    expect(stalledJobIds).toHaveLength(1);
    expect(completed).toEqual(stalledJobIds);
  });
});
