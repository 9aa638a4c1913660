/**
 * Throughput and round-trip latency over one mutual-TLS link between two PeerManagers.
 *
 * Run from the repository root:
 *   node --conditions=development --import tsx bench/p2p/link.bench.ts          # print figures
 *   node --conditions=development --import tsx bench/p2p/link.bench.ts --write  # also write bench/results/p2p.md
 *
 * The receiving validator runs in a worker thread so that sender and receiver each get a core,
 * as two validators would. Certificates come from test/fixtures/gencerts.sh (RSA 2048).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { PeerManager, spkiSha256, type ValidatorInfo } from '#p2p';

const MESSAGE = 10;
const PING = 11;
const PONG = 12;
const EXPECT = 13;
const DONE = 14;

interface Setup {
  readonly dir: string;
  readonly validators: ValidatorInfo[];
}

const repoRoot = join(import.meta.dirname, '..', '..');

async function manager(setup: Setup, nodeId: string): Promise<PeerManager> {
  const read = (file: string) => readFile(join(setup.dir, file), 'utf8');
  const peer = new PeerManager({
    nodeId,
    credentials: { cert: await read(`${nodeId}.chain.pem`), key: await read(`${nodeId}.key`), ca: await read('ca-bundle.pem') },
    validators: setup.validators,
    listenHost: '127.0.0.1',
    maxQueueBytes: 16 * 1024 * 1024,
    logger: pino({ level: 'error' }),
  });
  await peer.start();
  return peer;
}

function waitFor(condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (condition() ? resolve() : setTimeout(check, 10));
    check();
  });
}

/** node-b: counts messages, reports when the expected number arrived, answers pings. */
async function receiver(setup: Setup): Promise<void> {
  const b = await manager(setup, 'node-b');
  let expected = Number.POSITIVE_INFINITY;
  let received = 0;
  b.subscribe(EXPECT, (_from, payload) => {
    expected = payload.readUInt32BE(0);
    received = 0;
  });
  b.subscribe(MESSAGE, (from) => {
    if (++received === expected) b.send(from, DONE, Buffer.alloc(0));
  });
  b.subscribe(PING, (from, payload) => b.send(from, PONG, payload));
  parentPort?.on('message', async (message) => {
    if (message === 'stop') {
      await b.stop();
      parentPort?.postMessage('stopped');
    }
  });
  parentPort?.postMessage('ready');
}

/** Sends `count` messages of `size` bytes as fast as back-pressure allows; resolves on DONE. */
async function throughput(a: PeerManager, size: number, count: number): Promise<{ messagesPerSecond: number; megabytesPerSecond: number }> {
  const done = new Promise<void>((resolve) => {
    const off = a.subscribe(DONE, () => {
      off();
      resolve();
    });
  });
  const expect = Buffer.alloc(4);
  expect.writeUInt32BE(count);
  a.send('node-b', EXPECT, expect);
  const payload = Buffer.alloc(size, 0xab);
  const started = process.hrtime.bigint();
  let sent = 0;
  while (sent < count) {
    while (sent < count && a.send('node-b', MESSAGE, payload)) sent++;
    if (sent < count) await new Promise<void>((resolve) => { const off = a.on('writable', () => { off(); resolve(); }); });
  }
  await done;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { messagesPerSecond: count / seconds, megabytesPerSecond: (count * size) / seconds / 1e6 };
}

/** Sequential ping/pong round trips of `size`-byte payloads; returns percentiles in microseconds. */
async function roundTrips(a: PeerManager, count: number, size: number): Promise<{ p50Us: number; p99Us: number; maxUs: number }> {
  const samples: number[] = [];
  const payload = Buffer.alloc(size);
  for (let i = 0; i < count; i++) {
    const started = process.hrtime.bigint();
    await new Promise<void>((resolve) => {
      const off = a.subscribe(PONG, () => {
        off();
        resolve();
      });
      a.send('node-b', PING, payload);
    });
    samples.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  samples.sort((x, y) => x - y);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  return { p50Us: at(0.5), p99Us: at(0.99), maxUs: samples[samples.length - 1] };
}

/** Runs this file in a worker; from TypeScript sources the worker must load tsx itself. */
function startWorker(setup: Setup): Worker {
  const self = new URL(import.meta.url);
  if (!self.pathname.endsWith('.ts')) return new Worker(self, { workerData: setup });
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(self.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: setup });
}

function progress(step: string): void {
  if (process.argv.includes('--verbose')) process.stderr.write(`${new Date().toISOString()} ${step}\n`);
}

async function machine(): Promise<{ cores: number; cpu: string; node: string }> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const cpu = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? 'unknown';
  return { cores: availableParallelism(), cpu, node: process.version };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'accord-p2p-bench-'));
  try {
    await promisify(execFile)('bash', [join(repoRoot, 'test', 'fixtures', 'gencerts.sh'), dir, 'node-a', 'node-b']);
    const fingerprint = async (id: string) => spkiSha256(await readFile(join(dir, `${id}.crt`), 'utf8'));
    const setup: Setup = {
      dir,
      validators: [
        { nodeId: 'node-a', spkiSha256: await fingerprint('node-a'), host: '127.0.0.1', port: 47101 },
        { nodeId: 'node-b', spkiSha256: await fingerprint('node-b'), host: '127.0.0.1', port: 47102 },
      ],
    };
    const worker = startWorker(setup);
    await new Promise<void>((resolve) => worker.once('message', () => resolve()));
    const a = await manager(setup, 'node-a');
    await waitFor(() => a.connectedPeers().includes('node-b'));

    progress('linked');
    await throughput(a, 256, 100_000); // warm-up: JIT, TLS buffers
    progress('warmed up');
    const small = await throughput(a, 256, 1_000_000);
    progress('256 B done');
    const large = await throughput(a, 64 * 1024, 20_000);
    progress('64 KiB done');
    await roundTrips(a, 1000, 64); // warm-up
    const rtt = await roundTrips(a, 10_000, 64);

    worker.postMessage('stop');
    await new Promise<void>((resolve) => worker.once('message', () => resolve()));
    await worker.terminate();
    await a.stop();

    const host = await machine();
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    const report = [
      '# p2p link benchmark',
      '',
      `Command: \`node --conditions=development --import tsx bench/p2p/link.bench.ts --write\``,
      '',
      `Machine: ${host.cores} cores (\`nproc\`), ${host.cpu}, Node ${host.node}; run ${new Date().toISOString()}.`,
      'One mutual-TLS (TLS 1.3, RSA 2048) link on 127.0.0.1; receiver in a worker thread.',
      `Load average at the end of the run: ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1/5/15 min; the machine is shared, so figures are a floor).`,
      '',
      '| workload | messages/s | MB/s |',
      '| --- | ---: | ---: |',
      `| 256 B messages (1,000,000) | ${fmt(small.messagesPerSecond)} | ${small.megabytesPerSecond.toFixed(1)} |`,
      `| 64 KiB messages (20,000) | ${fmt(large.messagesPerSecond)} | ${large.megabytesPerSecond.toFixed(1)} |`,
      '',
      `Round trip (64 B ping/pong, 10,000 sequential): p50 ${rtt.p50Us.toFixed(0)} µs, p99 ${rtt.p99Us.toFixed(0)} µs, max ${rtt.maxUs.toFixed(0)} µs.`,
      '',
      `Target ≥ 100,000 small messages/s per link: ${small.messagesPerSecond >= 100_000 ? 'met' : 'NOT met'}.`,
      '',
    ].join('\n');
    process.stdout.write(report);
    if (process.argv.includes('--write')) await writeFile(join(repoRoot, 'bench', 'results', 'p2p.md'), report);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (isMainThread) {
  await main();
} else {
  await receiver(workerData as Setup);
}
