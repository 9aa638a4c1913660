import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { generateKeyPair, keyPairToJson } from '#sdk';

/** `accord keys new`: a secp256k1 account key, written to a 0600 file. */
export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('account keys');
  keys
    .command('new')
    .description('create a secp256k1 account key')
    .requiredOption('--out <file>', 'key file to write (mode 0600; never commit it)')
    .action((flags: { out: string }) => {
      const pair = generateKeyPair();
      writeFileSync(flags.out, `${JSON.stringify(keyPairToJson(pair), null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      console.log(JSON.stringify({ publicKey: keyPairToJson(pair).publicKey, address: pair.address, file: flags.out }));
    });
}
