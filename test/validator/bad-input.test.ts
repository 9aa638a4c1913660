import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSignedTx, ProtoWriter, signDigest, toHex, txSigningDigest } from '#chain';
import { testAccount, testGenesis, transfer } from '../support/chain-fixtures.js';
import { startTestValidator } from '../support/validator-fixtures.js';

const genesis = testGenesis({ members: 2, balance: 1000n });
const alice = testAccount('member-0');
const bob = testAccount('member-1');
let validator: Awaited<ReturnType<typeof startTestValidator>>;

beforeAll(async () => {
  validator = await startTestValidator(genesis);
});
afterAll(() => validator.cleanup());

/** A transfer whose amount field is raw varint bytes we choose (overflowing, "negative"). */
function transferWithRawAmount(amountVarint: number[]): string {
  const payload = Uint8Array.from([0x0a, 20, ...bob.address, 0x10, ...amountVarint]);
  const body = new ProtoWriter().string(1, genesis.chainId).uint32(2, 1).bytes(3, alice.publicKey).message(5, payload, true).finish();
  return toHex(encodeSignedTx(body, signDigest(txSigningDigest(genesis.chainId, body), alice.privateKey)));
}

const goodTx = () => toHex(transfer(alice, bob, 1n, 0n).bytes);
const ONE_MIB = 'a'.repeat(1024 * 1024);

type Case = { name: string; method: 'get' | 'post' | 'put'; path: string; body?: string | object; contentType?: string; code?: string };

const POST_CASES: Case[] = [
  { name: 'malformed JSON', method: 'post', path: '/v1/transactions', body: '{"tx": "00', contentType: 'application/json', code: 'MALFORMED_JSON' },
  { name: 'JSON array instead of object', method: 'post', path: '/v1/transactions', body: '[1,2]', contentType: 'application/json' },
  { name: 'tx as a number', method: 'post', path: '/v1/transactions', body: { tx: 12345 }, code: 'VALIDATION_FAILED' },
  { name: 'tx as a fractional number', method: 'post', path: '/v1/transactions', body: { tx: 1.5 } },
  { name: 'tx missing', method: 'post', path: '/v1/transactions', body: {} },
  { name: 'unknown field', method: 'post', path: '/v1/transactions', body: { tx: goodTx(), amount: 5 } },
  { name: 'odd-length hex', method: 'post', path: '/v1/transactions', body: { tx: 'abc' } },
  { name: 'not protobuf', method: 'post', path: '/v1/transactions', body: { tx: 'ffffffffffffffff' }, code: 'MALFORMED_TX' },
  { name: 'overflowing amount (varint over 64 bits)', method: 'post', path: '/v1/transactions', body: { tx: transferWithRawAmount([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]) } },
  { name: 'negative amount (-1 as uint64)', method: 'post', path: '/v1/transactions', body: { tx: transferWithRawAmount([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]) } },
  { name: 'wait timeout as a string', method: 'post', path: '/v1/transactions', body: { tx: goodTx(), wait: true, waitTimeoutMs: '100' } },
  { name: 'wait timeout fractional', method: 'post', path: '/v1/transactions', body: { tx: goodTx(), wait: true, waitTimeoutMs: 100.5 } },
  { name: '1 MiB body', method: 'post', path: '/v1/transactions', body: { tx: ONE_MIB } },
  { name: '3 MiB body', method: 'post', path: '/v1/transactions', body: { tx: 'a'.repeat(3 * 1024 * 1024) }, code: 'PAYLOAD_TOO_LARGE' },
  { name: 'text/plain body', method: 'post', path: '/v1/transactions', body: 'tx=00', contentType: 'text/plain' },
  { name: 'batch: txs not an array', method: 'post', path: '/v1/transactions/batch', body: { txs: 'abcd' } },
  { name: 'batch: empty', method: 'post', path: '/v1/transactions/batch', body: { txs: [] } },
  { name: 'batch: numbers', method: 'post', path: '/v1/transactions/batch', body: { txs: [1, 2] } },
  { name: 'batch: too many', method: 'post', path: '/v1/transactions/batch', body: { txs: Array.from({ length: 1001 }, () => '00') } },
  { name: 'batch: malformed JSON', method: 'post', path: '/v1/transactions/batch', body: '{', contentType: 'application/json' },
  { name: 'batch: 1 MiB body', method: 'post', path: '/v1/transactions/batch', body: { txs: [ONE_MIB] } },
  { name: 'log level unknown', method: 'put', path: '/v1/ops/log-level', body: { level: 'loud' }, code: 'VALIDATION_FAILED' },
  { name: 'log level as a number', method: 'put', path: '/v1/ops/log-level', body: { level: 3 } },
  { name: 'log level malformed JSON', method: 'put', path: '/v1/ops/log-level', body: '{"level":', contentType: 'application/json', code: 'MALFORMED_JSON' },
  { name: 'log level unknown field', method: 'put', path: '/v1/ops/log-level', body: { level: 'info', extra: 1 } },
];

const GET_CASES: Case[] = [
  { name: 'hash not hex', method: 'get', path: '/v1/transactions/xyz' },
  { name: 'hash too short', method: 'get', path: '/v1/transactions/abcd' },
  { name: 'negative height', method: 'get', path: '/v1/blocks/-1' },
  { name: 'fractional height', method: 'get', path: '/v1/blocks/1.5' },
  { name: 'overflowing height', method: 'get', path: '/v1/blocks/99999999999999999999999' },
  { name: 'height not a number', method: 'get', path: '/v1/blocks/abc' },
  { name: 'address too short', method: 'get', path: '/v1/accounts/0x1234' },
  { name: 'address not hex', method: 'get', path: `/v1/accounts/0x${'zz'.repeat(20)}` },
  { name: 'record key too long', method: 'get', path: `/v1/records/${'k'.repeat(200)}` },
  { name: 'member key malformed', method: 'get', path: '/v1/members/1234' },
  { name: 'unknown route', method: 'get', path: '/v1/nothing-here' },
];

describe('bad input never gives a 500, always a 4xx with a code, and changes nothing', () => {
  it('covers every operation of the OpenAPI document', async () => {
    const doc = await request(validator.app.getHttpServer()).get('/openapi.json');
    const operations = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`));
    const covered = new Set([...POST_CASES, ...GET_CASES].map((c) => `${c.method} ${c.path.replace(/\/v1\/transactions\/(?!batch$)[^/]+$/, '/v1/transactions/{hash}').replace(/\/v1\/blocks\/(?!latest)[^/]+$/, '/v1/blocks/{height}').replace(/\/v1\/accounts\/.+$/, '/v1/accounts/{address}').replace(/\/v1\/records\/.+$/, '/v1/records/{key}').replace(/\/v1\/members\/.+$/, '/v1/members/{publicKey}')}`));
    // Operations without parameters or bodies (latest block, status, node set, health) cannot receive bad input.
    const uncoverable = new Set(['get /v1/blocks/latest', 'get /v1/status', 'get /v1/network/nodes', 'get /healthz', 'get /readyz', 'get /metrics']);
    expect(operations.filter((op) => !covered.has(op) && !uncoverable.has(op))).toEqual([]);
  });

  it.each([...POST_CASES, ...GET_CASES])('$method $path: $name', async (c) => {
    const server = validator.app.getHttpServer();
    const heightBefore = validator.node.ledger.height;
    const poolBefore = validator.node.mempool.size();
    let call = c.method === 'get' ? request(server).get(c.path) : c.method === 'put' ? request(server).put(c.path) : request(server).post(c.path);
    if (c.body !== undefined) {
      if (c.contentType) call = call.set('content-type', c.contentType);
      call = call.send(typeof c.body === 'string' ? c.body : JSON.stringify(c.body));
      if (!c.contentType) call = call.set('content-type', 'application/json');
    }
    const response = await call;
    expect(response.status, JSON.stringify(response.body)).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(typeof response.body.code).toBe('string');
    expect(response.body.code).toMatch(/^[A-Z0-9_]+$/);
    if (c.code) expect(response.body.code).toBe(c.code);
    expect(typeof response.body.message).toBe('string');
    expect(validator.node.ledger.height).toBe(heightBefore);
    expect(validator.node.mempool.size()).toBe(poolBefore);
  });
});
