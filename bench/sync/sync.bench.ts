/**
 * Block sync throughput: a fresh node fetches and checks (hash links, txRoot, Raft leader
 * signatures, every transaction signature on worker threads, execution and state root) and
 * commits (SQLite, synchronous=FULL as a validator runs it) a chain of 2,000 blocks × 50
 * transfers, from 1 peer and then from 3 peers, over real mutual-TLS links. Each peer serves from
 * its own process, as it would from its own machine.
 *
 *   node --max-semi-space-size=64 --conditions=development --import tsx bench/sync/sync.bench.ts [--blocks 2000] [--txs 50]
 *
 * (the young-generation size validators are started with; without the flag, V8's default). The
 * CPU each thread of the syncing process and of each peer used is printed after the table.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createClusterFiles } from '../../test/support/cluster.js';
import { REPO_ROOT } from '../../test/support/process.js';
import { tempDir } from '../../test/support/temp.js';
import { buildSyncChain } from '../../test/sync/support/sync-chain.js';
import { openSyncNode } from '../../test/sync/support/sync-node.js';
import { tlsPeerManager, workerSignatureVerifier } from '../../test/sync/support/tls-peers.js';
import { argument } from '../support/bench-chain.js';
import { describeMachine } from '../support/machine.js';
import { cpuByThread, cpuSpent } from '../support/thread-cpu.js';

const BLOCKS = Number(argument('blocks', '2000'));
const TXS = Number(argument('txs', '50'));
const SENDERS = 100;

const dir = tempDir('bench-sync');
const files = await createClusterFiles(dir.path, { validators: 4, consensus: 'raft', members: SENDERS });
let started = performance.now();
const chain = await buildSyncChain({ genesis: files.genesis, dir: dir.path, blocks: BLOCKS, txsPerBlock: TXS, senders: SENDERS });
console.log(`machine: ${describeMachine()}`);
console.log(`chain: ${BLOCKS} blocks × ${TXS} transfers built in ${((performance.now() - started) / 1000).toFixed(1)} s`);

function startPeer(nodeId: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', join(REPO_ROOT, 'bench/sync/peer-process.ts'), dir.path, nodeId, chain.sqlitePath], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`peer ${nodeId} exited with ${code}`)));
  });
}

const verifier = workerSignatureVerifier(files.genesis.chainId);
const manager = tlsPeerManager(files, 'validator-4');
await manager.start();

const threadReports: string[] = [];

async function syncFrom(peerIds: string[]): Promise<void> {
  const peers = await Promise.all(peerIds.map(startPeer));
  while (manager.connectedPeers().length < peerIds.length) await new Promise((resolve) => setTimeout(resolve, 50));
  const runDir = join(dir.path, `fresh-${peerIds.length}`);
  mkdirSync(runDir);
  const fresh = await openSyncNode({ nodeId: 'validator-4', genesis: files.genesis, transport: manager, dir: runDir, durable: true, verifySignatures: verifier.verify, stateDeltas: verifier.stateDeltas, tuning: { lagGraceMs: 0, lagCheckIntervalMs: 20 } });
  let commitMs = 0;
  fresh.pipeline.onCommitted((event) => {
    commitMs += event.commitMs;
  });
  started = performance.now();
  const cpuBefore = process.cpuUsage();
  const threadsBefore = cpuByThread();
  const peersBefore = peers.map((peer) => cpuByThread(peer.pid ?? 0));
  while (fresh.ledger.height < BigInt(chain.height)) await new Promise((resolve) => setTimeout(resolve, 10));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const threads = cpuSpent(threadsBefore, cpuByThread());
  const peerCpu = peers.map((peer, i) => cpuSpent(peersBefore[i], cpuByThread(peer.pid ?? 0)));
  if (fresh.ledger.headHash !== chain.headHash) throw new Error('synced head differs');
  const rates = `${Math.round(BLOCKS / seconds)} | ${Math.round((BLOCKS * TXS) / seconds)}`;
  console.log(`| ${peerIds.length} | ${BLOCKS} × ${TXS} | ${seconds.toFixed(2)} | ${rates} | ${(commitMs / 1000).toFixed(2)} | ${((cpu.user + cpu.system) / 1e6).toFixed(2)} |`);
  threadReports.push(`${peerIds.length} peer(s): syncing process: ${threads}; ${peerCpu.map((p, i) => `${peerIds[i]}: ${p}`).join('; ')}`);
  await fresh.close();
  for (const peer of peers) peer.kill('SIGTERM');
  await Promise.all(peers.map((peer) => new Promise((resolve) => peer.once('exit', resolve))));
}

console.log('| peers | blocks × txs | seconds | blocks/s | tx/s verified and applied | of which SQL commit, s | CPU s of the syncing process (main + verify workers) |');
console.log('|---|---|---|---|---|---|---|');
await syncFrom(['validator-1']);
await syncFrom(['validator-1', 'validator-2', 'validator-3']);

console.log('\nCPU by thread during each sync:');
for (const report of threadReports) console.log(`- ${report}`);
await manager.stop();
await verifier.close();
dir.cleanup();
