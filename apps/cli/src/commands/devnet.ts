import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { canonicalGenesisJson, toHex } from '#chain';
import { generateKeyPair, keyPairToJson } from '#sdk';
import { loadGenesisFile, resolveValidatorConfig } from '../../../validator/src/config/validator-config.js';
import { startValidator } from '../../../validator/src/main.js';
import { parsePort, readKeyFile } from '../parse.js';
import { createGenesis } from './genesis.js';
import { printValidatorUrls, stopOnSignals } from './validator.js';

const MEMBER_COUNT = 4;

/** Creates (or reuses) the keys and genesis of a local network under `dir`. */
export function prepareDevnet(dir: string, options: { reset: boolean; powBits: number }): { genesisPath: string; keyFiles: string[] } {
  if (options.reset) rmSync(dir, { recursive: true, force: true });
  const keysDir = join(dir, 'keys');
  const genesisPath = join(dir, 'genesis.json');
  const keyFiles = Array.from({ length: MEMBER_COUNT }, (_, i) => join(keysDir, `member-${i}.json`));
  if (existsSync(genesisPath)) return { genesisPath, keyFiles };
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  const write = (file: string): string => {
    writeFileSync(file, `${JSON.stringify(keyPairToJson(generateKeyPair()), null, 2)}\n`, { mode: 0o600 });
    return file;
  };
  const governance = readKeyFile(write(join(keysDir, 'governance.json')));
  const members = keyFiles.map((file) => readKeyFile(write(file)));
  const genesis = createGenesis({
    chainId: 'accord-devnet',
    consensus: 'solo',
    governancePublicKeys: [toHex(governance.publicKey)],
    members: members.map((m, i) => ({ publicKey: toHex(m.publicKey), balance: '1000000000000', organization: `Org${i + 1}` })),
    powDifficultyBits: options.powBits,
  });
  writeFileSync(genesisPath, `${JSON.stringify(JSON.parse(canonicalGenesisJson(genesis)), null, 2)}\n`);
  return { genesisPath, keyFiles };
}

/** `accord devnet`: a local network with funded member keys, resumable. */
export function registerDevnetCommand(program: Command): void {
  program
    .command('devnet')
    .description('run a local network (a solo validator with a fresh genesis and funded member keys); resumes on the next run')
    .option('--data-dir <dir>', 'where the network keeps its files', './data/devnet')
    .option('--port <port>', 'validator REST port', '8080')
    .option('--pow <bits>', 'proof-of-work difficulty for a new network', '0')
    .option('--reset', 'start over with a new genesis')
    .action(async (flags: { dataDir: string; port: string; pow: string; reset?: boolean }) => {
      const dir = resolve(flags.dataDir);
      const { genesisPath, keyFiles } = prepareDevnet(dir, { reset: Boolean(flags.reset), powBits: Number(flags.pow) });
      const config = resolveValidatorConfig({ genesis: loadGenesisFile(genesisPath), nodeId: 'solo-1', dataDir: join(dir, 'solo-1'), port: parsePort(flags.port) });
      const running = await startValidator(config, { quiet: true });
      printValidatorUrls(running);
      console.log(`  genesis  ${genesisPath}`);
      console.log(`  funded member keys: ${keyFiles.join(', ')}`);
      console.log(`  try: accord tx transfer --url ${running.url} --key ${keyFiles[0]} --to ${readKeyFile(keyFiles[1]).address} --amount 10 --wait`);
      stopOnSignals(() => running.close());
    });
}
