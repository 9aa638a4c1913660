import { afterAll, describe, expect, it } from 'vitest';
import { formatAddress, toHex, TxType } from '#chain';
import { AccordClient } from '#sdk';
import { signTx, testAccount, testGenesis, transfer } from '../support/chain-fixtures.js';
import { startTestValidator } from '../support/validator-fixtures.js';
import { until } from '../support/wait.js';
import { fuzzRuns, fuzzSeed, fuzzTimeout } from './support/fuzz-config.js';
import type { AuthVariant } from './support/http-cases.js';
import { operationsOf, type OpenApiDocument } from './support/openapi.js';
import { closeRawClient, sendRaw } from './support/raw-http.js';
import { expectEveryOperationFuzzed, fuzzOperation, FuzzStats, schemaChecker, type RestTarget } from './support/rest-fuzzer.js';
import { hexForms, txSamples } from './support/tx-samples.js';

// REST fuzzing of a solo validator, driven by its own /openapi.json: every documented operation
// gets generated requests; none may answer 5xx or change the chain when it refuses.
const RUNS = fuzzRuns(100);
// Members 3..26 each sign one valid transfer: accepted requests keep happening throughout the run.
const genesis = testGenesis({ members: 27, balance: 1_000_000n });
const [alice, bob, carol] = [0, 1, 2].map((i) => testAccount(`member-${i}`));
const freshSenders = Array.from({ length: 24 }, (_, i) => testAccount(`member-${i + 3}`));
const validator = await startTestValidator(genesis);
const client = new AccordClient(validator.url);

// Something to find: a committed transfer and a record, so lookups by hash, height, key hit.
const committed = transfer(alice, bob, 5n, 0n);
await client.submit(committed, { wait: true });
await client.submit(signTx(alice, 1n, { type: TxType.RECORD, key: 'fuzz/record', value: new TextEncoder().encode('v') }), { wait: true });
const document = (await (await fetch(`${validator.url}/openapi.json`)).json()) as OpenApiDocument;
const logLevel = validator.node.logger.level;

const txs = txSamples({ chainId: genesis.chainId, sender: carol, recipient: bob, nonce: 0n, committed, maxTxBytes: genesis.limits.maxTxBytes, freshSenders });
const txHex = [...hexForms(txs.valid[0]), ...txs.valid.slice(1).map(toHex), ...txs.refused.map((r) => toHex(r.bytes))];

interface ChainState {
  height: number;
  headHash: string;
  stateRoot: string;
  pooled: number;
}

async function snapshot(): Promise<ChainState> {
  const status = await client.status();
  return { height: status.height, headHash: status.headHash, stateRoot: status.stateRoot, pooled: validator.node.mempool.size() };
}

const anonymous: AuthVariant = { name: 'anonymous', headers: () => ({}), grantsAccess: true };

const target: RestTarget<ChainState> = {
  name: 'validator',
  baseUrl: validator.url,
  operations: operationsOf(document),
  context: {
    maxBodyBytes: validator.node.config.maxBodyBytes,
    conforms: schemaChecker(),
    samples: {
      tx: txHex,
      'txs[]': txHex,
      hash: [committed.hashHex, committed.hashHex.toUpperCase(), `0x${committed.hashHex}`, '00'.repeat(32)],
      height: ['0', '1', '2', '3', 'latest', '01', '1.0', '+1', '0x1'],
      address: [formatAddress(alice.address), formatAddress(alice.address).toUpperCase(), toHex(alice.address)],
      publicKey: [alice.publicKeyHex, testAccount('nobody').publicKeyHex, alice.publicKeyHex.toUpperCase()],
      key: ['fuzz/record', 'fuzz%2Frecord', 'nothing-here'],
      level: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'WARN', 'verbose'],
      wait: [true, false],
      waitTimeoutMs: [99, 100, 30_000, 30_001],
    },
  },
  authVariants: () => [anonymous],
  snapshot,
  async afterServed(operation) {
    // A served log-level change would flood the output at debug level: put it back.
    if (operation.key === 'PUT /v1/ops/log-level') validator.node.logger.level = logLevel;
    // An accepted transaction commits shortly after its 202: wait for the chain to settle.
    if (operation.method !== 'GET') await until('the pool to drain', async () => (validator.node.mempool.size() === 0 ? true : undefined), 10_000);
  },
};

const stats = new FuzzStats();

afterAll(async () => {
  console.info(`${stats.summary('validator REST fuzz')} (seed ${fuzzSeed}, ${RUNS} runs per operation)`);
  closeRawClient();
  await validator.cleanup();
});

describe(`validator REST fuzzing (seed ${fuzzSeed})`, () => {
  it('the document lists the operations the fuzzer must cover', () => {
    expect(target.operations.map((o) => o.key)).toEqual(expect.arrayContaining(['POST /v1/transactions', 'POST /v1/transactions/batch', 'GET /v1/blocks/{height}', 'PUT /v1/ops/log-level']));
  });

  it.each(target.operations.map((operation) => [operation.key, operation] as const))('%s', async (_key, operation) => {
    for (const auth of target.authVariants(operation)) await fuzzOperation(target, operation, auth, RUNS, stats);
  }, fuzzTimeout(RUNS, 200));

  it('every documented operation was fuzzed; the node is healthy, unpolluted and still commits', async () => {
    expectEveryOperationFuzzed(target, stats);
    expect(stats.total()).toBeGreaterThanOrEqual(target.operations.length * RUNS);
    expect((await sendRaw(validator.url, { method: 'GET', path: '/healthz', headers: {} })).status).toBe(200);
    expect((await sendRaw(validator.url, { method: 'GET', path: '/readyz', headers: {} })).status).toBe(200);
    expect(({} as Record<string, unknown>).polluted, 'Object.prototype was polluted').toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
    const nonce = BigInt((await client.getAccount(formatAddress(bob.address))).nonce);
    const outcome = await client.submit(transfer(bob, alice, 1n, nonce), { wait: true });
    expect(outcome.status).toBe('committed');
  });
});
