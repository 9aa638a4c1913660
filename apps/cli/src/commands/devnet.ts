import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AccordError } from '#common';
import { runDevnet } from '../devnet/run.js';
import { parsePort } from '../parse.js';
import { stopOnSignals } from './stop-on-signals.js';

/** `accord devnet`: the whole consortium on this machine (what `npm start` runs). */
export function registerDevnetCommand(program: Command): void {
  program
    .command('devnet')
    .description('run a local consortium: the admin app (CA, portal) and validators enrolled through it; resumes on the next run')
    .option('--data-dir <dir>', 'where the network keeps its files (SQLite databases, keys, certificates)', './data')
    .option('--consensus <type>', 'raft or pbft (for a new network)', 'raft')
    .option('--validators <n>', 'number of validators (for a new network)', '4')
    .option('--pow <bits>', 'proof-of-work difficulty in bits, 0 = off (for a new network)', '0')
    .option('--kafka <brokers>', 'Kafka brokers (host:port,...) for transaction ingress')
    .option('--redis <url>', 'Redis URL for Bull verification and sealing queues')
    .option('--admin-port <port>', 'admin app port', '7000')
    .option('--rest-port <port>', 'REST port of the first validator (the others follow)', '8081')
    .option('--p2p-port <port>', 'p2p port of the first validator (the others follow)', '7101')
    .option('--reset', 'delete the network and start a new one')
    .action(async (flags: { dataDir: string; consensus: string; validators: string; pow: string; kafka?: string; redis?: string; adminPort: string; restPort: string; p2pPort: string; reset?: boolean }) => {
      if (flags.consensus !== 'raft' && flags.consensus !== 'pbft') throw new AccordError('CONFIG_INVALID', '--consensus must be raft or pbft');
      const validators = Number(flags.validators);
      if (!Number.isInteger(validators) || validators < 1 || validators > 16) throw new AccordError('CONFIG_INVALID', '--validators must be 1..16');
      const devnet = await runDevnet(
        {
          dataDir: resolve(flags.dataDir),
          consensus: flags.consensus,
          validators,
          powBits: Number(flags.pow),
          kafka: flags.kafka,
          redis: flags.redis,
          reset: Boolean(flags.reset),
          adminPort: parsePort(flags.adminPort),
          firstRestPort: parsePort(flags.restPort),
          firstP2pPort: parsePort(flags.p2pPort),
        },
        (line) => console.log(line),
      );
      stopOnSignals(() => devnet.stop());
    });
}
