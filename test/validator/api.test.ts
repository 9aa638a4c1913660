import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAddress, toHex, TxType } from '#chain';
import { AccordClient, verifyReceipt } from '#sdk';
import { signTx, testAccount, testGenesis, transfer } from '../support/chain-fixtures.js';
import { startTestValidator } from '../support/validator-fixtures.js';

const genesis = testGenesis({ members: 3, balance: 1_000_000n });
const [alice, bob, carol] = [0, 1, 2].map((i) => testAccount(`member-${i}`));
let validator: Awaited<ReturnType<typeof startTestValidator>>;
let client: AccordClient;

beforeAll(async () => {
  validator = await startTestValidator(genesis);
  client = new AccordClient(validator.url);
});
afterAll(() => validator.cleanup());

describe('validator REST API (solo)', () => {
  it('commits a transfer, serves it with a receipt whose Merkle proof verifies offline', async () => {
    const tx = transfer(alice, bob, 250n, 0n);
    const submitted = await client.submit(tx, { wait: true });
    expect(submitted).toMatchObject({ hash: tx.hashHex, status: 'committed', height: 1, index: 0 });
    const fetched = await client.getTransaction(tx.hashHex);
    expect(fetched).toMatchObject({ status: 'committed', height: 1, tx: { type: 'transfer', payload: { amount: '250', to: formatAddress(bob.address) } } });
    expect(verifyReceipt(fetched)).toMatchObject({ ok: true, height: 1 });
    const tampered = { ...fetched, proof: { ...fetched.proof!, root: fetched.proof!.root, path: fetched.proof!.path }, raw: fetched.raw!.replace(/.$/, (c) => (c === '0' ? '1' : '0')) };
    expect(verifyReceipt(tampered).ok).toBe(false);
    expect(await client.getAccount(formatAddress(alice.address))).toMatchObject({ balance: '999750', nonce: '1' });
    expect(await client.getAccount(formatAddress(bob.address))).toMatchObject({ balance: '1000250', nonce: '0' });
    const latest = await client.getBlock('latest');
    expect(latest).toMatchObject({ height: 1, txHashes: [tx.hashHex] });
  });

  it('stores and serves records', async () => {
    const tx = signTx(carol, 0n, { type: TxType.RECORD, key: 'contracts/2026/7', value: new TextEncoder().encode('sha256:abcd') });
    await client.submit(tx, { wait: true });
    expect(await client.getRecord('contracts/2026/7')).toMatchObject({ valueHex: toHex(new TextEncoder().encode('sha256:abcd')), owner: formatAddress(carol.address) });
  });

  it('rejects a replay and an already committed transaction with 409 codes', async () => {
    const tx = transfer(alice, carol, 1n, 1n);
    await client.submit(tx, { wait: true });
    await expect(client.submit(tx)).rejects.toMatchObject({ status: 409, code: 'TX_ALREADY_COMMITTED' });
    await expect(client.submit(transfer(alice, bob, 3n, 1n))).rejects.toMatchObject({ status: 409, code: 'NONCE_REPLAY' });
  });

  it('a double-spend pair (same sender and nonce, two recipients): exactly one commits', async () => {
    const first = transfer(bob, alice, 10n, 0n);
    const second = transfer(bob, carol, 10n, 0n);
    const batch = await client.submitBatch([first, second]);
    expect(batch.results.map((r) => r.accepted)).toEqual([true, false]);
    expect(batch.results[1]).toMatchObject({ code: 'NONCE_IN_USE' });
    const outcome = await client.waitForCommit(first.hashHex);
    expect(outcome.status).toBe('committed');
    await expect(client.getTransaction(second.hashHex)).rejects.toMatchObject({ status: 404, code: 'TX_NOT_FOUND' });
  });

  it('reports unknown blocks, transactions and records as 404 with codes', async () => {
    await expect(client.getBlock(999)).rejects.toMatchObject({ status: 404, code: 'BLOCK_NOT_FOUND' });
    await expect(client.getTransaction('00'.repeat(32))).rejects.toMatchObject({ status: 404, code: 'TX_NOT_FOUND' });
    await expect(client.getRecord('nope')).rejects.toMatchObject({ status: 404, code: 'RECORD_NOT_FOUND' });
    expect((await client.getAccount(formatAddress(testAccount('nobody').address))).balance).toBe('0');
  });

  it('status names chain, consensus and the native signature backend', async () => {
    const status = await client.status();
    expect(status).toMatchObject({ chainId: genesis.chainId, consensus: { type: 'solo', role: 'solo' } });
    expect((status as unknown as { signatureBackend: string }).signatureBackend).toBe('native-libsecp256k1');
  });

  it('serves Swagger UI at /docs and the OpenAPI document at /openapi.json', async () => {
    const server = validator.app.getHttpServer();
    const doc = await request(server).get('/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/transactions', '/v1/transactions/batch', '/v1/transactions/{hash}', '/v1/blocks/latest', '/v1/blocks/{height}', '/v1/accounts/{address}', '/v1/records/{key}', '/v1/status', '/healthz']),
    );
    expect(doc.body.components.schemas.SubmitTransactionDto.properties.tx).toBeDefined();
    const ui = await request(server).get('/docs/').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('exposes Prometheus metrics with units in their names, and readiness', async () => {
    const server = validator.app.getHttpServer();
    await request(server).get('/readyz').expect(200);
    const metrics = (await request(server).get('/metrics').expect(200)).text;
    for (const name of [
      'accord_consensus_is_leader 1',
      'accord_ledger_height_blocks',
      'accord_ledger_block_commit_seconds_bucket',
      'accord_ledger_committed_transactions_total',
      'accord_mempool_transactions{status="ready"}',
      'accord_http_requests_total{method="POST",route="/v1/transactions",status="202"}',
      'accord_http_request_duration_seconds_bucket',
    ]) {
      expect(metrics).toContain(name);
    }
  });

  it('tags every response with a request id and changes the log level at runtime from the host', async () => {
    const server = validator.app.getHttpServer();
    const echoed = await request(server).get('/healthz').set('X-Request-Id', 'trace-42').expect(200);
    expect(echoed.headers['x-request-id']).toBe('trace-42');
    const fresh = await request(server).get('/healthz').expect(200);
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const changed = await request(server).put('/v1/ops/log-level').send({ level: 'debug' }).expect(200);
    expect(changed.body).toMatchObject({ level: 'debug' });
    expect(validator.node.logger.level).toBe('debug');
    await request(server).put('/v1/ops/log-level').send({ level: 'info' }).expect(200);
  });
});
