import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino, type Logger } from 'pino';
import { Registry } from 'prom-client';
import { PeerManager, spkiSha256, type PeerManagerOptions, type TlsCredentials, type ValidatorInfo } from '#p2p';
export { freePort } from '../support/ports.js';

const run = promisify(execFile);
const GENCERTS = join(import.meta.dirname, '..', 'fixtures', 'gencerts.sh');

/** Certificates made by test/fixtures/gencerts.sh in a temp dir. */
export interface CertFixture {
  readonly dir: string;
  read(file: string): Promise<string>;
  /** Credentials presenting `<name>.chain.pem` / `<name>.key`, trusting the consortium CAs. */
  credentials(name: string, keyName?: string): Promise<TlsCredentials>;
  fingerprint(name: string): Promise<string>;
  serial(name: string): Promise<string>;
  cleanup(): Promise<void>;
}

/** Runs gencerts.sh for the given validator ids (first one also gets a renewed certificate). */
export async function makeCertFixture(nodeIds: string[]): Promise<CertFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'accord-p2p-'));
  await run('bash', [GENCERTS, dir, ...nodeIds]);
  const read = (file: string) => readFile(join(dir, file), 'utf8');
  const serials = new Map(
    (await read('serials.txt'))
      .trim()
      .split('\n')
      .map((line) => line.split(' ') as [string, string]),
  );
  return {
    dir,
    read,
    credentials: async (name, keyName = name) => ({
      cert: await read(`${name}.chain.pem`),
      key: await read(`${keyName}.key`),
      ca: await read('ca-bundle.pem'),
    }),
    fingerprint: async (name) => spkiSha256(await read(`${name}.crt`)),
    serial: async (name) => serials.get(name) ?? '',
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A pino logger whose JSON lines are kept in memory. */
export function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

/** Registry entries for `names` (certificate names) at the given ports on 127.0.0.1. */
export async function validatorsFor(fixture: CertFixture, ports: Record<string, number>): Promise<ValidatorInfo[]> {
  return Promise.all(
    Object.entries(ports).map(async ([nodeId, port]) => ({ nodeId, spkiSha256: await fixture.fingerprint(nodeId), host: '127.0.0.1', port })),
  );
}

/** A manager for `nodeId` with test-friendly timings, its own metrics registry and a captured log. */
export async function makeManager(
  fixture: CertFixture,
  nodeId: string,
  validators: ValidatorInfo[],
  overrides: Partial<PeerManagerOptions> = {},
): Promise<{ manager: PeerManager; lines: Array<Record<string, unknown>>; registry: Registry }> {
  const { logger, lines } = capturingLogger();
  const registry = new Registry();
  const manager = new PeerManager({
    nodeId,
    credentials: await fixture.credentials(nodeId),
    validators,
    listenHost: '127.0.0.1',
    heartbeatIntervalMs: 200,
    deadPeerTimeoutMs: 5000,
    handshakeTimeoutMs: 2000,
    backoff: { initialDelayMs: 50, maxDelayMs: 500 },
    logger,
    registry,
    ...overrides,
  });
  return { manager, lines, registry };
}

/** Current value of a counter/gauge sample, 0 when absent. */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const data = await metric.get();
  const sample = data.values.find((value) => Object.entries(labels).every(([key, expected]) => String(value.labels[key]) === expected));
  return sample?.value ?? 0;
}
