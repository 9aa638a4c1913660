import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { canonicalGenesisJson, genesisHash, parseGenesis, toHex, type ConsensusType, type Genesis } from '#chain';
import { readKeyFile } from '../parse.js';

/** Options of a solo/dev genesis. */
export interface DevGenesisOptions {
  chainId: string;
  consensus: ConsensusType;
  governancePublicKeys: string[];
  members: Array<{ publicKey: string; balance: string; organization?: string }>;
  blockIntervalMs?: number;
  maxTxsPerBlock?: number;
  powDifficultyBits?: number;
}

/** A genesis for a local network, validated. */
export function createGenesis(options: DevGenesisOptions): Genesis {
  return parseGenesis({
    chainId: options.chainId,
    genesisTime: new Date().toISOString(),
    consensus: { type: options.consensus, blockIntervalMs: options.blockIntervalMs ?? 100, maxTxsPerBlock: options.maxTxsPerBlock ?? 2000, electionTimeoutMs: 1000, heartbeatIntervalMs: 100 },
    powDifficultyBits: options.powDifficultyBits ?? 0,
    governanceKeys: options.governancePublicKeys,
    limits: { maxTxBytes: 8192, maxRecordValueBytes: 4096, maxTransferAmount: '1000000000000000' },
    members: options.members.map((m) => ({ publicKey: m.publicKey, role: 'client', organization: m.organization ?? 'Org1', balance: m.balance })),
    validators: [],
  });
}

/** `accord genesis new`: a solo genesis from key files. */
export function registerGenesisCommands(program: Command): void {
  const genesis = program.command('genesis').description('genesis files');
  genesis
    .command('new')
    .description('create a solo genesis (the admin app assembles consortium geneses)')
    .requiredOption('--chain-id <id>', 'chain id')
    .requiredOption('--governance-key <file>', 'key file of the governance key')
    .option('--member <file...>', 'key files of the initial members', [])
    .option('--balance <amount>', 'initial balance of each member', '1000000000')
    .option('--pow <bits>', 'proof-of-work difficulty in bits (0 = off)', '0')
    .requiredOption('--out <file>', 'genesis file to write')
    .action((flags: { chainId: string; governanceKey: string; member: string[]; balance: string; pow: string; out: string }) => {
      const created = createGenesis({
        chainId: flags.chainId,
        consensus: 'solo',
        governancePublicKeys: [toHex(readKeyFile(flags.governanceKey).publicKey)],
        members: flags.member.map((file) => ({ publicKey: toHex(readKeyFile(file).publicKey), balance: flags.balance })),
        powDifficultyBits: Number(flags.pow),
      });
      writeFileSync(flags.out, `${JSON.stringify(JSON.parse(canonicalGenesisJson(created)), null, 2)}\n`);
      console.log(JSON.stringify({ file: flags.out, genesisHash: toHex(genesisHash(created)) }));
    });
}
