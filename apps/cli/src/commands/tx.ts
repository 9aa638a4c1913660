import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AccordClient, buildRecord, buildTransfer, verifyReceipt } from '#sdk';
import { parseAmount, readKeyFile } from '../parse.js';

interface TxFlags {
  url: string;
  key: string;
  nonce?: string;
  wait?: boolean;
}

async function envelope(flags: TxFlags, client: AccordClient) {
  const signer = readKeyFile(flags.key);
  const status = await client.status();
  const nonce = flags.nonce === undefined ? await client.nextNonce(signer.address) : parseAmount(flags.nonce);
  return { chainId: status.chainId, signer, nonce };
}

/** `accord tx transfer | record | get` and `accord account`. */
export function registerTxCommands(program: Command): void {
  const tx = program.command('tx').description('build, sign, submit and fetch transactions');
  const common = (command: Command): Command =>
    command
      .requiredOption('--url <url>', 'validator REST URL')
      .requiredOption('--key <file>', 'signer key file')
      .option('--nonce <n>', 'nonce (default: the account next nonce)')
      .option('--wait', 'wait until committed');

  common(tx.command('transfer'))
    .description('transfer an amount to an address')
    .requiredOption('--to <address>', 'recipient address (0x + 40 hex)')
    .requiredOption('--amount <amount>', 'whole amount (unsigned 64-bit)')
    .action(async (flags: TxFlags & { to: string; amount: string }) => {
      const client = new AccordClient(flags.url);
      const signed = buildTransfer(await envelope(flags, client), flags.to, parseAmount(flags.amount));
      console.log(JSON.stringify(await client.submit(signed, { wait: flags.wait })));
    });

  common(tx.command('record'))
    .description('write a record (a document hash or a small datum, up to 4 KiB)')
    .requiredOption('--record-key <key>', 'record key')
    .option('--value <text>', 'value as text')
    .option('--value-file <file>', 'value from a file')
    .action(async (flags: TxFlags & { recordKey: string; value?: string; valueFile?: string }) => {
      const client = new AccordClient(flags.url);
      const value = flags.valueFile ? new Uint8Array(readFileSync(flags.valueFile)) : (flags.value ?? '');
      const signed = buildRecord(await envelope(flags, client), flags.recordKey, value);
      console.log(JSON.stringify(await client.submit(signed, { wait: flags.wait })));
    });

  tx.command('get')
    .description('fetch a transaction with its receipt and check its Merkle proof offline')
    .argument('<hash>', 'transaction hash')
    .requiredOption('--url <url>', 'validator REST URL')
    .action(async (hash: string, flags: { url: string }) => {
      const response = await new AccordClient(flags.url).getTransaction(hash);
      const verdict = response.status === 'committed' ? verifyReceipt(response) : undefined;
      console.log(JSON.stringify({ ...response, proofCheck: verdict }, null, 2));
      if (verdict && !verdict.ok) process.exitCode = 1;
    });

  program
    .command('account')
    .description('balance and next nonce of an address')
    .argument('<address>', 'account address')
    .requiredOption('--url <url>', 'validator REST URL')
    .action(async (address: string, flags: { url: string }) => {
      console.log(JSON.stringify(await new AccordClient(flags.url).getAccount(address)));
    });
}
