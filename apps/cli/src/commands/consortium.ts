import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AccordError } from '#common';
import { bootstrapConsortium } from '../devnet/bootstrap.js';
import { devnetLayout } from '../devnet/layout.js';

/**
 * `accord consortium setup`: onboards validators and funded members through a running admin
 * app and writes each validator's TLS directory and the genesis (what docker-compose's setup
 * service runs; `accord devnet` does the same on one machine).
 */
export function registerConsortiumCommands(program: Command): void {
  program
    .command('consortium')
    .description('consortium operations against a running admin app')
    .command('setup')
    .description('enroll validators (TLS keys generated here), register funded members, freeze the genesis')
    .requiredOption('--admin-url <url>', 'admin app URL')
    .requiredOption('--password-file <file>', 'password of the admin user that runs the setup')
    .requiredOption('--out <dir>', 'where to write validator TLS directories, member keys and genesis.json')
    .option('--validators <n>', 'number of validators', '4')
    .option('--host-pattern <pattern>', 'host of validator n (1-based), e.g. validator-{n}', 'validator-{n}')
    .option('--rest-port <port>', 'REST port of every validator', '8080')
    .option('--p2p-port <port>', 'p2p port of every validator', '7100')
    .option('--consensus <type>', 'raft or pbft', 'raft')
    .option('--pow <bits>', 'proof-of-work difficulty bits', '0')
    .action(async (flags: { adminUrl: string; passwordFile: string; out: string; validators: string; hostPattern: string; restPort: string; p2pPort: string; consensus: string; pow: string }) => {
      if (flags.consensus !== 'raft' && flags.consensus !== 'pbft') throw new AccordError('CONFIG_INVALID', '--consensus must be raft or pbft');
      const layout = devnetLayout(resolve(flags.out));
      const restPort = Number(flags.restPort);
      const p2pPort = Number(flags.p2pPort);
      const { state, adminOneTimePassword } = await bootstrapConsortium(layout, flags.adminUrl, readFileSync(flags.passwordFile, 'utf8').trim(), {
        consensus: flags.consensus,
        validators: Number(flags.validators),
        powBits: Number(flags.pow),
        adminPort: Number(new URL(flags.adminUrl).port || 80),
        firstRestPort: restPort,
        firstP2pPort: p2pPort,
        members: 4,
        addressOf: (index) => ({ host: flags.hostPattern.replace('{n}', String(index + 1)), restPort, p2pPort }),
      });
      writeFileSync(layout.stateFile, `${JSON.stringify(state, null, 2)}\n`);
      console.log(`genesis written to ${layout.genesisPath}; validator TLS directories under ${layout.root}`);
      if (adminOneTimePassword) console.log(`admin login: admin / ${adminOneTimePassword} (one-time password)`);
    });
}
