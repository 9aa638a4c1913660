import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalGenesisJson, formatAddress, type Transaction } from '#chain';
import { AccordApiError, AccordClient } from '#sdk';
import { testAccount, testGenesis, transfer } from '../support/chain-fixtures.js';
import { requireBuild, runAccord, spawnAccord, type RunningProcess } from '../support/process.js';
import { tempDir } from '../support/temp.js';

const SENDERS = 10;
const TXS_PER_SENDER = 100;
const START_BALANCE = 1_000_000n;
const genesis = testGenesis({ members: SENDERS + 1, balance: START_BALANCE });
const senders = Array.from({ length: SENDERS }, (_, i) => testAccount(`member-${i}`));
const sink = testAccount(`member-${SENDERS}`);
const dir = tempDir('e2e-solo');
const genesisPath = join(dir.path, 'genesis.json');
const dataDir = join(dir.path, 'node');
let validator: RunningProcess;
let client: AccordClient;
const nonces = new Map<string, bigint>();

async function startProcess(): Promise<void> {
  validator = spawnAccord(['validator', 'start', '--genesis', genesisPath, '--data-dir', dataDir, '--node-id', 'solo-1', '--port', '0']);
  const [, url] = await validator.waitFor(/REST\s+(http:\/\/127\.0\.0\.1:\d+)/);
  client = new AccordClient(url);
}

function nextTransfer(from: (typeof senders)[number], amount: bigint): Transaction {
  const nonce = nonces.get(from.publicKeyHex) ?? 0n;
  nonces.set(from.publicKeyHex, nonce + 1n);
  return transfer(from, sink, amount, nonce);
}

beforeAll(async () => {
  requireBuild();
  writeFileSync(genesisPath, canonicalGenesisJson(genesis));
  await startProcess();
});
afterAll(async () => {
  validator?.child.kill('SIGKILL');
  dir.cleanup();
});

describe('a real solo validator process on a temp SQLite file', () => {
  it('commits 1,000 signed transfers from 10 senders over REST with exact balances and nonces', async () => {
    const txs: Transaction[] = [];
    for (let round = 0; round < TXS_PER_SENDER; round++) for (const sender of senders) txs.push(nextTransfer(sender, BigInt(round + 1)));
    // Half in batches, half one by one, concurrently.
    const batches = [];
    for (let i = 0; i < 500; i += 100) batches.push(client.submitBatch(txs.slice(i, i + 100)));
    const batchResults = await Promise.all(batches);
    expect(batchResults.every((b) => b.accepted === 100)).toBe(true);
    const singles = txs.slice(500);
    for (let i = 0; i < singles.length; i += 50) await Promise.all(singles.slice(i, i + 50).map((tx) => client.submit(tx)));
    const last = await client.waitForCommit(txs[txs.length - 1].hashHex, 60_000);
    expect(last.status).toBe('committed');
    const perSenderTotal = BigInt((TXS_PER_SENDER * (TXS_PER_SENDER + 1)) / 2);
    for (const sender of senders) {
      expect(await client.getAccount(formatAddress(sender.address))).toMatchObject({ balance: (START_BALANCE - perSenderTotal).toString(), nonce: String(TXS_PER_SENDER) });
    }
    expect((await client.getAccount(formatAddress(sink.address))).balance).toBe((START_BALANCE + perSenderTotal * BigInt(SENDERS)).toString());
    for (const tx of [txs[0], txs[499], txs[777]]) expect((await client.getTransaction(tx.hashHex)).status).toBe('committed');
  });

  it('rejects every replay with a 4xx code', async () => {
    const sender = senders[3];
    const replayedCommitted = transfer(sender, sink, 1n, 0n);
    await expect(client.submit(replayedCommitted)).rejects.toMatchObject({ status: 409, code: 'TX_ALREADY_COMMITTED' });
    const oldNonce = transfer(sender, sink, 999n, 5n);
    await expect(client.submit(oldNonce)).rejects.toMatchObject({ status: 409, code: 'NONCE_REPLAY' });
  });

  it('a double-spend pair (same sender and nonce, two recipients) commits exactly one', async () => {
    const sender = senders[0];
    const nonce = nonces.get(sender.publicKeyHex) ?? 0n;
    nonces.set(sender.publicKeyHex, nonce + 1n);
    const toSink = transfer(sender, sink, 5n, nonce);
    const toOther = transfer(sender, senders[1], 5n, nonce);
    const results = await Promise.allSettled([client.submit(toSink), client.submit(toOther)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(AccordApiError);
    expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'NONCE_IN_USE' });
    const winner = results[0].status === 'fulfilled' ? toSink : toOther;
    expect((await client.waitForCommit(winner.hashHex)).status).toBe('committed');
    expect(await client.getAccount(formatAddress(sender.address))).toMatchObject({ nonce: String(nonce + 1n) });
  });

  it('kill -9 under load, restart: no acknowledged-committed transaction is lost and the chain verifies', async () => {
    const acknowledged: string[] = [];
    let stop = false;
    const load = Promise.all(
      senders.slice(0, 5).map(async (sender) => {
        while (!stop) {
          const tx = nextTransfer(sender, 1n);
          try {
            const response = await client.submit(tx, { wait: true, waitTimeoutMs: 5000 });
            if (response.status === 'committed') acknowledged.push(tx.hashHex);
          } catch {
            return; // the process died under us
          }
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    validator.child.kill('SIGKILL');
    await validator.exited;
    stop = true;
    await load;
    expect(acknowledged.length).toBeGreaterThan(10);

    await startProcess();
    for (const hash of acknowledged) expect((await client.getTransaction(hash)).status, hash).toBe('committed');
    validator.child.kill('SIGINT');
    expect(await validator.exited).toBe(0);

    const verify = await runAccord(['ledger', 'verify', '--genesis', genesisPath, '--data-dir', dataDir, '--no-progress']);
    expect(verify.output).toContain('"ok":true');
    expect(verify.code).toBe(0);
  });
});
